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
 */
final class HelpText {
  /** Stands for a dot inside a word while lines are broken: a private-use character, one column wide. */
  private static final char KEPT_DOT = '\uE000';

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
