package dev.cairn.storage.hadoop;

import dev.cairn.storage.StorageException;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FSError;
import org.apache.hadoop.fs.s3a.AWSApiCallTimeoutException;
import org.apache.hadoop.fs.s3a.AWSBadRequestException;
import org.apache.hadoop.fs.s3a.AWSClientIOException;
import org.apache.hadoop.fs.s3a.AWSNoResponseException;
import org.apache.hadoop.fs.s3a.AWSServiceIOException;
import org.apache.hadoop.fs.s3a.AWSServiceThrottledException;
import org.apache.hadoop.fs.s3a.AWSStatus500Exception;
import org.apache.hadoop.fs.s3a.CredentialInitializationException;
import org.apache.hadoop.fs.s3a.UnknownStoreException;
import org.apache.hadoop.ipc.RemoteException;
import org.apache.hadoop.security.AccessControlException;

/**
 * Turns Hadoop's exceptions into {@link StorageException}s that say whether a retry may help, with
 * messages that never carry credentials (signatures, keys and tokens are masked, also in the
 * attached cause).
 */
final class HadoopErrors {
  /** Server-side exceptions (by class name, as HDFS sends them) that a retry may get past. */
  private static final Set<String> TRANSIENT_REMOTE = Set.of(
      "org.apache.hadoop.hdfs.server.namenode.SafeModeException",
      "org.apache.hadoop.ipc.StandbyException",
      "org.apache.hadoop.ipc.RetriableException",
      "org.apache.hadoop.ipc.RetryException",
      "org.apache.hadoop.hdfs.server.namenode.LeaseExpiredException",
      "org.apache.hadoop.hdfs.protocol.RecoveryInProgressException");

  private static final Pattern SECRET = Pattern.compile(
      "(?i)((?:sig|signature|x-amz-signature|x-amz-credential|x-amz-security-token|accountkey|sharedaccesssignature"
          + "|sas|secret[._-]?key|access[._-]?key|password|token)\\s*[=:]\\s*)([^&\\s;,\"'<>]+)");
  private static final Pattern USER_INFO = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)[^/@\\s:]+:[^/@\\s]+@");

  private HadoopErrors() {}

  /**
   * A {@link StorageException} for a failed {@code action} ({@code "read packs/x.pack"}) on the
   * remote at {@code root}.
   */
  static StorageException translate(String action, URI root, IOException e) {
    if (e instanceof StorageException se) {
      return se;
    }
    boolean notFound = isNotFound(e);
    String refusal = localRefusal(e);
    String plain = notFound || refusal != null ? null : plainReason(root, e);
    String reason = notFound ? "no such file on the remote" : refusal != null ? refusal : plain != null ? plain : reason(e);
    String message = "Cannot " + action + " on " + redactUri(root) + ": " + reason;
    return new StorageException(message, !notFound && isTransient(e), safeCause(e));
  }

  /**
   * A client that could not be set up ({@code FileSystem.newInstance}, or its first call, since
   * some clients are built lazily, threw unchecked): nearly always a setting (a number that is
   * none, an endpoint that is no URI, a class not found). Said as that, never retried.
   */
  static StorageException setupFailure(String action, URI root, RuntimeException e) {
    if (e instanceof java.io.UncheckedIOException u && u.getCause() != null) {
      return translate(action, root, u.getCause()); // an I/O error through an iterator: not a setting
    }
    return settingFailure(action, root, e);
  }

  /**
   * What a call that threw unchecked failed of: a setting the client could not use (a number that
   * is none, an address that is no URI, a class not found), said as {@link #setupFailure} says it;
   * an I/O error wrapped, translated as any; anything else thrown again as it is (a client's own
   * report of a race, which a caller may retry: a file listed, then gone before its status was read).
   */
  static StorageException unchecked(String action, URI root, RuntimeException e) {
    if (isSettingProblem(e)) {
      return settingFailure(action, root, e);
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IOException io) {
        return translate(action, root, io);
      }
    }
    throw e;
  }

  /** Whether an unchecked failure is a setting the client could not use (see {@link #unchecked}). */
  static boolean isSettingProblem(RuntimeException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IllegalArgumentException || t instanceof java.net.URISyntaxException || t instanceof ClassNotFoundException) {
        return true;
      }
    }
    return false;
  }

  private static StorageException settingFailure(String action, URI root, RuntimeException e) {
    String plain = plainReason(root, e);
    if (plain != null) {
      return new StorageException("Cannot " + action + " on " + redactUri(root) + ": " + plain, false, safeCause(e));
    }
    Throwable t = e;
    while ((t.getMessage() == null || t.getMessage().isBlank()) && t.getCause() != null) {
      t = t.getCause();
    }
    String msg = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().lines().findFirst().orElse("").strip();
    msg = JAVA_CLASS_PREFIX.matcher(redact(msg)).replaceAll("$1: ");
    String what = t instanceof NumberFormatException ? "a setting that should be a number is not (" + msg + ")" : msg;
    return new StorageException("Cannot " + action + " on " + redactUri(root) + ": " + what + "; check the settings (--conf, core-site.xml"
        + " and $HADOOP_CONF_DIR)", false, safeCause(e));
  }

  /**
   * Why a local file system refused a file, said as a person would, or null. Java's file streams,
   * which Hadoop's local file system uses, report a refused open as a {@link FileNotFoundException}
   * whatever the cause, the cause only in the message: {@code "/r/.tmp/x.tmp (Permission denied)"}.
   */
  static String localRefusal(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = t instanceof FileNotFoundException ? t.getMessage() : null;
      if (m != null && m.endsWith(")")) {
        if (m.endsWith("(Permission denied)")) {
          return "permission denied";
        } else if (m.endsWith("(Read-only file system)")) {
          return "the file system is read-only";
        } else if (m.endsWith("(Is a directory)")) {
          return "a folder is in the way";
        } else if (m.endsWith("(Not a directory)")) {
          return "a file is in the way of a folder";
        }
      }
    }
    return null;
  }

  /**
   * A local file system's {@link FSError} (an {@link Error} that Hadoop throws for a failed local
   * write or read, a full disk say) as the I/O error it carries.
   */
  static IOException unwrap(FSError e) {
    return e.getCause() instanceof IOException io ? io : new IOException(e.getMessage(), e);
  }

  /** Whether {@code e} says that a file or folder does not exist (not that it may not be opened). */
  static boolean isNotFound(Throwable e) {
    if (localRefusal(e) != null) {
      return false;
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof FileNotFoundException || t instanceof NoSuchFileException) {
        return true;
      }
      if (t instanceof RemoteException re && re.getClassName().equals(FileNotFoundException.class.getName())) {
        return true;
      }
      if (azureStatus(t) == 404) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether retrying may help: timeouts, throttling, server errors, dropped connections and
   * truncated reads may pass; missing files, denied access and bad settings will not. Failures
   * this does not recognise count as transient: on a network store most unexplained I/O errors
   * are, and retries are bounded.
   */
  static boolean isTransient(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof FileNotFoundException || t instanceof NoSuchFileException
          || t instanceof AccessDeniedException || t instanceof AccessControlException
          || t instanceof UnknownHostException || t instanceof AWSBadRequestException
          || t instanceof UnknownStoreException || t instanceof CredentialInitializationException
          || t instanceof org.apache.hadoop.fs.FileAlreadyExistsException
          || t instanceof org.apache.hadoop.fs.PathIOException && t.getCause() == null) {
        return false;
      }
      if (t instanceof SocketTimeoutException || t instanceof ConnectException || t instanceof SocketException
          || t instanceof EOFException || t instanceof AWSStatus500Exception || t instanceof AWSServiceThrottledException
          || t instanceof AWSApiCallTimeoutException || t instanceof AWSNoResponseException || t instanceof AWSClientIOException) {
        return true;
      }
      if (t instanceof AWSServiceIOException s) {
        int status = s.statusCode();
        return status >= 500 || status == 408 || status == 429 || status == 409;
      }
      if (t instanceof RemoteException re) {
        return TRANSIENT_REMOTE.contains(re.getClassName());
      }
      int azure = azureStatus(t);
      if (azure > 0) {
        return azure >= 500 || azure == 408 || azure == 429;
      }
      if (t instanceof InterruptedIOException) {
        return false; // interrupted on purpose: do not retry
      }
      if (t instanceof org.apache.hadoop.fs.UnsupportedFileSystemException) {
        return false; // no client for the scheme
      }
      if (t instanceof javax.net.ssl.SSLException && String.valueOf(t.getMessage()).contains("Unsupported or unrecognized SSL message")) {
        return false; // TLS asked of a plain-HTTP server: the same answer every time
      }
    }
    return true;
  }

  /**
   * The usual ways of failing to reach a remote at all, said with the setting to check, where the
   * clients' own text (an SDK's exception, its request id, the same text twice) says it poorly;
   * null for any other failure.
   */
  static String plainReason(URI root, Throwable e) {
    boolean s3 = root.getScheme() != null && root.getScheme().toLowerCase(java.util.Locale.ROOT).startsWith("s3");
    if (isMissingCredentials(e)) {
      // S3A's text lists its four credential providers and the SDK's advice on system properties.
      return "no AWS credentials found: give AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or --conf fs.s3a.access.key=..."
          + " --conf fs.s3a.secret.key=... (or fs.s3a.aws.credentials.provider)";
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      String name = t.getClass().getName();
      String msg = t.getMessage() == null ? "" : t.getMessage();
      if (s3 && msg.contains("bucket is null/empty")) {
        // S3A reads the bucket from the address's host, which Java finds in none of some names.
        return "no bucket name S3A can read in the address (it takes the host part: lower-case letters, digits, dots and hyphens,"
            + " the last label not starting with a digit)";
      }
      if (s3 && msg.contains("Protocol must be 'http' or 'https'")) {
        // The SDK's text, which S3A repeats after its own.
        return "fs.s3a.endpoint must be http://HOST:PORT, https://HOST:PORT or a bare host (taken as https)";
      }
      if (name.endsWith(".UnknownStoreException") || name.endsWith(".NoSuchBucketException") || msg.contains("NoSuchBucket")) {
        return "no such bucket" + (s3 ? " (check the bucket in the address, and fs.s3a.endpoint)" : "");
      }
      if (s3 && (msg.contains("Status Code: 403") || msg.contains("(403)") || msg.contains("Forbidden"))) {
        return "access denied (HTTP 403): check the credentials (fs.s3a.access.key and fs.s3a.secret.key, or"
            + " fs.s3a.aws.credentials.provider) and the bucket's policy";
      }
      if (t instanceof java.net.UnknownHostException) {
        String host = hostName(t);
        if (host.equals("metadata.google.internal")) {
          // The GCS connector's last resort for credentials is the metadata server of a Google
          // Cloud machine: unknown elsewhere, which says no credentials were given.
          return "no GCS credentials given (the connector asked a Google Cloud machine's metadata server, unknown here): give --conf"
              + " fs.gs.auth.type=SERVICE_ACCOUNT_JSON_KEYFILE --conf fs.gs.auth.service.account.json.keyfile=KEY.json (or"
              + " fs.gs.auth.type=APPLICATION_DEFAULT with GOOGLE_APPLICATION_CREDENTIALS=KEY.json)";
        }
        return "unknown host " + host + (s3 ? " (check fs.s3a.endpoint)" : "");
      }
      if (t instanceof javax.net.ssl.SSLException && msg.contains("Unsupported or unrecognized SSL message")) {
        // An endpoint written without its scheme is taken as https; a plain-HTTP server answers that in clear text.
        return "the server does not speak TLS (HTTPS) where TLS was asked for" + (s3 ? ": an fs.s3a.endpoint without a scheme means"
            + " https; give http://HOST:PORT for a plain-HTTP store (or set fs.s3a.connection.ssl.enabled=false)" : "");
      }
      if (t instanceof java.net.ConnectException) {
        return "cannot connect: connection refused (is the " + (s3 ? "endpoint, fs.s3a.endpoint," : "address") + " right, and the"
            + " server up?)";
      }
      if (t instanceof java.net.SocketTimeoutException) {
        // HDFS's own text runs to both socket addresses and a wiki link, cut off.
        java.util.regex.Matcher millis = TIMEOUT_MILLIS.matcher(msg);
        return "the server did not answer" + (millis.find() ? " within " + Long.parseLong(millis.group(1)) / 1000 + " s" : " in time")
            + ": it accepts connections but does not answer (stalled, or overloaded?)";
      }
    }
    return null;
  }

  /**
   * The host an UnknownHostException names: the innermost one's message, the bare name the
   * resolver gave (S3A wraps the SDK's, whose text is a paragraph of advice, in one of its own that
   * repeats it); else the last word of the message.
   */
  private static String hostName(Throwable unknownHost) {
    String msg = unknownHost.getMessage() == null ? "" : unknownHost.getMessage().strip();
    for (Throwable c = unknownHost.getCause(); c != null; c = c.getCause()) {
      if (c instanceof java.net.UnknownHostException inner && inner.getMessage() != null && !inner.getMessage().isBlank()) {
        msg = inner.getMessage().strip();
      }
    }
    int colon = msg.lastIndexOf(": ");
    String host = colon >= 0 ? msg.substring(colon + 2) : msg;
    // "name: Name or service not known", as the JDK's resolver words some: the name before it.
    return host.contains(" ") && colon > 0 && !msg.substring(0, colon).contains(" ") ? msg.substring(0, colon) : host;
  }

  /** The limit a socket timeout's message names ({@code 60000 millis timeout while waiting ...}). */
  private static final java.util.regex.Pattern TIMEOUT_MILLIS = java.util.regex.Pattern.compile("(\\d{1,9}) millis timeout");

  /** The HTTP status of an Azure storage SDK exception, or -1. */
  private static int azureStatus(Throwable t) {
    if (t instanceof com.microsoft.azure.storage.StorageException se) {
      return se.getHttpStatusCode();
    }
    return -1;
  }

  private static String reason(Throwable e) {
    Throwable t = e;
    // Wrappers such as AzureException or ExecutionException say little themselves.
    while ((t.getMessage() == null || t.getMessage().isBlank()) && t.getCause() != null) {
      t = t.getCause();
    }
    String msg = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().lines().findFirst().orElse("").strip();
    msg = JAVA_CLASS_PREFIX.matcher(redact(msg)).replaceAll("$1: "); // by its simple name: it may be all the message says (UnknownHost)
    if (msg.length() > 300) {
      int cut = msg.lastIndexOf(' ', 300); // between words, not inside one
      msg = msg.substring(0, cut > 200 ? cut : 300) + " ...";
    }
    return msg + " (" + t.getClass().getSimpleName() + ")";
  }

  /** A Java class's full name before a colon, as a wrapped exception's message begins ({@code org.apache.x.SomeException: }); group 1, its simple name. */
  private static final Pattern JAVA_CLASS_PREFIX = Pattern.compile("\\b(?:[a-z][a-z0-9_]*\\.)+([A-Z][A-Za-z0-9_$]*(?:Exception|Error)): ");

  /** Whether S3A found no credentials to sign with (its message names providers, not what to set). */
  private static boolean isMissingCredentials(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getClass().getSimpleName().equals("NoAuthWithAWSException")
          || (t.getMessage() != null && t.getMessage().contains("NoAuthWithAWSException"))) {
        return true;
      }
    }
    return false;
  }

  /** Masks credentials that may appear in a message: signatures, keys, tokens, passwords in URIs. */
  static String redact(String text) {
    if (text == null) {
      return null;
    }
    return SECRET.matcher(USER_INFO.matcher(text).replaceAll("$1<redacted>@")).replaceAll("$1<redacted>");
  }

  /** The URI without any user:password part. */
  static String redactUri(URI uri) {
    return redact(uri.toString());
  }

  /**
   * The exception to attach as cause: {@code e} itself unless some message in its chain holds
   * credentials, else a copy of the chain with masked messages and the original stack traces.
   */
  static Throwable safeCause(Throwable e) {
    boolean clean = true;
    for (Throwable t = e; t != null && clean; t = t.getCause()) {
      String m = t.getMessage();
      clean = m == null || m.equals(redact(m));
    }
    return clean ? e : copyRedacted(e, 0);
  }

  private static Throwable copyRedacted(Throwable t, int depth) {
    if (t == null || depth > 20) {
      return null;
    }
    IOException copy = new IOException(t.getClass().getName() + ": " + redact(t.getMessage()), copyRedacted(t.getCause(), depth + 1));
    copy.setStackTrace(t.getStackTrace());
    return copy;
  }
}
