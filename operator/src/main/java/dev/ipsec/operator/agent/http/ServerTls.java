package dev.ipsec.operator.agent.http;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;

/** The state API's TLS: the context new connections use, and which old sessions to retire. */
public interface ServerTls {

  /** The context of every new connection; it demands and checks the operator's certificate. */
  SSLContext context();

  /**
   * Whether a connection's session should serve no further request: it was opened with a
   * certificate the agent has replaced since, or its client's certificate has expired. Its next
   * answer closes the connection, so the client's next request does a full handshake with current
   * credentials on both sides; nothing fails.
   */
  boolean isStale(SSLSession session);
}
