package dev.cairn.web;

import dev.cairn.cli.ShellWords;
import dev.cairn.dataset.DatasetRecord;
import dev.cairn.dataset.DatasetRepository;
import dev.cairn.dataset.LogEntry;
import io.javalin.http.Context;
import java.io.IOException;

/** {@code /versions/{id}/log}: the execution log, every command that built the version (ClearML's EXECUTION). */
final class LogPage {
  private final Site site;

  LogPage(Site site) {
    this.site = site;
  }

  String render(Context ctx) throws IOException {
    DatasetRecord r = site.version(ctx.pathParam("id")).record();
    VersionHeader.Tab tab = VersionHeader.Tab.LOG;
    Html h = new Html().raw(VersionHeader.render(site, r, tab));
    if (r.log().isEmpty()) {
      h.el("div", "The execution log is empty.", "class", "card empty");
    } else {
      h.open("div", "class", "table-wrap").open("table", "id", "log").open("thead").open("tr")
          .el("th", "#", "class", "num").el("th", "Time").el("th", "Command").el("th", "Changes").el("th", "Stored", "class", "num")
          .close("tr").close("thead").open("tbody");
      int i = 1;
      for (LogEntry e : r.log()) {
        h.open("tr").el("td", Integer.toString(i++), "class", "num muted").el("td", Text.timeToSecond(e.timeMillis()), "class", "muted");
        // The command and the arguments it recorded, as cairn log prints them: not always a command
        // line to run again (a squash records its ids, an upload after close its remote).
        h.open("td").open("code").text(e.command());
        if (e.renamedTo() != null) {
          h.close("code").text(" ").el("span", "to " + DatasetRepository.label(e.renamedTo().get(0), e.renamedTo().get(1)), "class", "muted");
        } else {
          for (String a : e.arguments()) {
            h.text(" ").text(ShellWords.quote(a));
          }
          h.close("code");
        }
        h.close("td");
        h.open("td").raw(Widgets.counts(e.changes())).close("td");
        h.el("td", Text.bytes(e.storedBytes()), "class", "num", "title", Text.count(e.storedBytes()) + " bytes").close("tr");
      }
      h.close("tbody").close("table").close("div");
    }
    return Layout.page(VersionHeader.title(r, tab), VersionHeader.crumbs(r, tab), h);
  }
}
