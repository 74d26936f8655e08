package dev.cairn.cli;

import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Help.Ansi.Text;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Help whose descriptions wrap at spaces, not inside a word at a dot: picocli breaks lines where
 * the JDK's line {@link java.text.BreakIterator} allows, which is also after a dot followed by a
 * letter ({@code ~/.} then {@code cairn}, {@code core-site.} then {@code xml}). Such a dot is
 * laid out as a character the iterator keeps with its neighbours, then printed as a dot again.
 * The synopsis keeps a list option's {@code [,T...]} with its option the same way.
 */
final class HelpText {
  /** Stands for a dot inside a word while lines are broken: a private-use character, one column wide. */
  private static final char KEPT_DOT = '\uE000';

  /** Stands for a {@code [} inside an option's synopsis ({@code --tags=T[,T...]...}) while lines are broken. */
  private static final char KEPT_BRACKET = '\uE001';

  /** A dot with a character other than a space after it: inside a path, a file name, a key. */
  private static final Pattern DOT_IN_WORD = Pattern.compile("\\.(?=[^\\s.])");

  private HelpText() {}

  /** Makes {@code cl} and its subcommands lay their help out so. */
  static void install(CommandLine cl) {
    cl.setHelpFactory(WordKeepingHelp::new);
    for (CommandLine sub : cl.getSubcommands().values()) {
      install(sub);
    }
  }

  static String keepDots(String s) {
    return DOT_IN_WORD.matcher(s).replaceAll(String.valueOf(KEPT_DOT));
  }

  static String restoreDots(String s) {
    return s.replace(KEPT_DOT, '.');
  }

  /**
   * {@code text} with each {@code [} that follows a character other than a space (the repetition
   * of a list option's value, {@code T[,T...]}) replaced by a character that keeps it with the
   * label before it; styles kept.
   */
  private static Text keepBrackets(Text text) {
    String plain = text.plainString();
    Text kept = null;
    int from = 0;
    for (int i = 1; i < plain.length(); i++) {
      if (plain.charAt(i) == '[' && !Character.isWhitespace(plain.charAt(i - 1))) {
        Text piece = text.substring(from, i);
        kept = (kept == null ? piece : kept.concat(piece)).concat(String.valueOf(KEPT_BRACKET));
        from = i + 1;
      }
    }
    return kept == null ? text : kept.concat(text.substring(from));
  }

  private static final class WordKeepingHelp extends Help {
    WordKeepingHelp(CommandSpec spec, ColorScheme scheme) {
      super(spec, scheme);
    }

    @Override
    public Layout createDefaultLayout() {
      return keepingWords(super.createDefaultLayout());
    }

    @Override
    public Layout createDefaultLayout(java.util.List<CommandLine.Model.OptionSpec> options,
        java.util.List<CommandLine.Model.PositionalParamSpec> positionals, ColorScheme scheme) {
      return keepingWords(super.createDefaultLayout(options, positionals, scheme));
    }

    private static Layout keepingWords(Layout layout) {
      return new WordKeepingLayout(layout.colorScheme(), layout.textTable(), layout.optionRenderer(), layout.parameterRenderer());
    }

    /** The synopsis broken between options, not inside one's {@code T[,T...]}. */
    @Override
    protected String makeSynopsisFromParts(int headingLength, Text options, Text groups, Text endOfOptions, Text positionals, Text command) {
      return super.makeSynopsisFromParts(headingLength, keepBrackets(options), groups, endOfOptions, positionals, command)
          .replace(KEPT_BRACKET, '[');
    }

    @Override
    public String description(Object... params) {
      CommandSpec spec = commandSpec();
      String[] given = spec.usageMessage().description();
      String[] kept = new String[given.length];
      for (int i = 0; i < given.length; i++) {
        kept[i] = keepDots(given[i]);
      }
      spec.usageMessage().description(kept);
      try {
        return restoreDots(super.description(params));
      } finally {
        spec.usageMessage().description(given);
      }
    }
  }

  private static final class WordKeepingLayout extends Help.Layout {
    WordKeepingLayout(Help.ColorScheme scheme, Help.TextTable table, Help.IOptionRenderer options, Help.IParameterRenderer parameters) {
      super(scheme, table, options, parameters);
    }

    @Override
    public void layout(ArgSpec arg, Text[][] cells) {
      for (Text[] row : cells) {
        int last = row.length - 1; // the description's column
        if (last >= 0 && row[last] != null) {
          row[last] = colorScheme().text(keepDots(row[last].plainString()));
        }
      }
      super.layout(arg, cells);
    }

    @Override
    public String toString() {
      return restoreDots(super.toString());
    }
  }
}
