package dev.cairn.web;

import io.javalin.http.Context;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The names the {@code Host} header of a request may give. A web page elsewhere whose own name its
 * owner points at this server's address (DNS rebinding) would otherwise read every dataset through
 * a visitor's browser: the browser sends that page's name. Names are compared as written, never
 * resolved.
 *
 * <p>Bound to loopback, the server answers to loopback names only ({@code localhost},
 * {@code 127.0.0.1}, {@code [::1]}) and the name it was given. Bound elsewhere (a container's
 * {@code 0.0.0.0}, a LAN address), it answers to those, to any IP address written as such (a name
 * can be rebound, an address cannot), to this machine's host name, and to the names given with
 * {@code --allow-host} (a proxy's).
 */
final class HostNames {
  private static final Pattern LOOPBACK_V4 = Pattern.compile("127(\\.\\d{1,3}){3}");
  private static final Pattern ADDRESS_V4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private final boolean loopback;
  private final Set<String> allowed = new LinkedHashSet<>();

  HostNames(String boundHost, List<String> allowedHosts) {
    this.loopback = WebServer.isLoopback(boundHost);
    allowed.add(normal(boundHost));
    for (String h : allowedHosts) {
      String name = hostName(h); // "name:port" as "name": the port is not compared
      if (name != null) {
        allowed.add(normal(name));
      }
    }
    if (!loopback) {
      try {
        InetAddress self = InetAddress.getLocalHost();
        allowed.add(normal(self.getHostName()));
        allowed.add(normal(self.getCanonicalHostName()));
      } catch (UnknownHostException noName) {
        // no host name to allow: addresses and loopback names still work
      }
    }
  }

  /** Refuses (403) a request whose {@code Host} is none of the allowed names. */
  void require(Context ctx) {
    String name = hostName(ctx.header("Host"));
    if (name == null || !allows(name)) {
      String given = name == null ? "a request without a Host header" : "'" + name + "'";
      // The names it does answer to are not listed: a page that a rebound name serves could read them.
      throw new HttpProblem(403, "This server does not answer to " + given + " (a name pointed at it by another site is refused; it"
          + " answers to " + (loopback ? "loopback names" : "its addresses, loopback names and this machine's name")
          + "); serve with --allow-host NAME for a name of yours");
    }
  }

  /** The names it answers to besides addresses and loopback names, for the server's log. */
  Set<String> names() {
    return java.util.Collections.unmodifiableSet(allowed);
  }

  boolean allows(String name) {
    String n = normal(name);
    return allowed.contains(n) || isLoopbackName(n) || (!loopback && isAddress(n));
  }

  /** The name of a {@code Host} header, without its port; null if there is none. */
  static String hostName(String header) {
    if (header == null || header.isBlank()) {
      return null;
    }
    String h = header.trim();
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      return end < 0 ? null : h.substring(0, end + 1);
    }
    int colon = h.indexOf(':');
    return colon < 0 ? h : h.substring(0, colon);
  }

  /** A host without IPv6 brackets or a trailing dot. */
  static String bare(String host) {
    String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
  }

  /** Whether {@code host} is the address of every interface ({@code 0.0.0.0}, {@code ::}, {@code [::]}). */
  static boolean isWildcard(String host) {
    String h = bare(host);
    if (!h.contains(":") && !ADDRESS_V4.matcher(h).matches() && !h.equals("0")) {
      return false; // a name: never looked up here
    }
    try {
      return InetAddress.getByName(h).isAnyLocalAddress();
    } catch (UnknownHostException notAnAddress) {
      return false;
    }
  }

  private static String normal(String host) {
    return bare(host).toLowerCase(Locale.ROOT);
  }

  private static boolean isLoopbackName(String n) {
    return n.equals("::1") || n.equals("0:0:0:0:0:0:0:1") || n.equals("localhost") || n.endsWith(".localhost")
        || LOOPBACK_V4.matcher(n).matches();
  }

  /** An IP address as written: four dotted numbers, or an IPv6 address (from brackets). */
  private static boolean isAddress(String n) {
    return ADDRESS_V4.matcher(n).matches() || (n.contains(":") && n.chars().allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0));
  }
}
