package dev.ipsec.operator.agent.apply;

import dev.ipsec.operator.vici.ViciClient;
import dev.ipsec.operator.vici.ViciCommands;
import dev.ipsec.operator.vici.ViciMessage;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * What the loader needs from VICI: send a command and get its response, or run a streamed command
 * and see its events one by one. Implemented over the real client ({@link #over}); a decorator
 * counts what was sent (metrics, tests).
 *
 * <p>Implementations throw {@link dev.ipsec.operator.vici.ViciCommandException} when charon refuses
 * a command or does not know it, and another {@link dev.ipsec.operator.vici.ViciException} when
 * charon cannot be reached.
 */
public interface ViciChannel {

  /**
   * How long a streamed read of charon's whole state may take. It grows with the peers, so the
   * default command timeout would cut a large gateway's read short.
   */
  Duration STREAM_TIMEOUT = ViciCommands.WHOLE_STATE_TIMEOUT;

  ViciMessage call(String command, ViciMessage request);

  /**
   * Runs a streamed command ({@code list-conns} with event {@code list-conn}) and hands each event
   * to {@code onEvent} as it arrives; an exception of {@code onEvent} is thrown from here once the
   * command has completed.
   */
  void stream(String command, String event, ViciMessage request, Consumer<ViciMessage> onEvent);

  /** The channel of a real client: its default timeout for commands, {@link #STREAM_TIMEOUT}. */
  static ViciChannel over(ViciClient client) {
    return new ViciChannel() {
      @Override
      public ViciMessage call(String command, ViciMessage request) {
        return client.call(command, request);
      }

      @Override
      public void stream(
          String command, String event, ViciMessage request, Consumer<ViciMessage> onEvent) {
        client.stream(command, event, request, STREAM_TIMEOUT, onEvent);
      }
    };
  }
}
