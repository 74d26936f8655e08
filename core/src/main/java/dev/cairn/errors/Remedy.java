package dev.cairn.errors;

import java.util.Objects;

/**
 * What to do about a refusal, said twice: in the Java API's words (a method, an option of a
 * builder) and in the command line's (a flag). A message that carries one says the API's way in
 * {@link Throwable#getMessage()}; the command line shows {@link CairnException#commandLineMessage()}.
 *
 * @param api the remedy for a Java caller, e.g. {@code "pass force = true to delete it anyway"}
 * @param cli the same for a command-line user, e.g. {@code "use --force to delete it anyway"}
 */
public record Remedy(String api, String cli) {
  /** Deleting a version others may need, with the force that allows it. */
  public static final Remedy FORCE_DELETE = new Remedy("pass force = true to delete it anyway", "use --force to delete it anyway");

  /** Deleting a whole dataset, which the caller must confirm. */
  public static final Remedy FORCE_ENTIRE_DATASET = new Remedy("pass force = true to delete them all", "add --force to delete them all");

  /** Writing over what is in the way. */
  public static final Remedy OVERWRITE = new Remedy("pass overwrite = true", "use --overwrite");

  public Remedy {
    Objects.requireNonNull(api, "api");
    Objects.requireNonNull(cli, "cli");
  }
}
