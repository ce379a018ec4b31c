package dev.ipsec.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.v1alpha1.Encryption;
import dev.ipsec.operator.api.v1alpha1.KeyExchange;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BindingMessagesTest {

  @Test
  void aShortListOfValuesIsGivenWholeAndSorted() {
    assertThat(BindingMessages.forValue(KeyExchange.class, "ikev3"))
        .isEqualTo("must be one of ikev1, ikev2");
    assertThat(BindingMessages.oneOf(List.of("respond", "initiate", "none"), "x"))
        .isEqualTo("must be one of initiate, none, respond");
  }

  @Test
  void aLongListIsCutToTheClosestValues() {
    List<String> names = BindingMessages.enumNames(Encryption.class);
    assertThat(names).hasSizeGreaterThan(BindingMessages.LIST_ALL_UP_TO).contains("aes256", "null");
    String message = BindingMessages.forValue(Encryption.class, "AES-256");
    assertThat(message)
        .startsWith("must be one of " + names.size() + " values (kubectl explain lists them);")
        .endsWith("the closest: aes256, aes128, aes192, aes256ctr, aes128ctr");
    assertThat(message.length()).isLessThan(120);
  }

  @Test
  void typesAreNamedAsInTheApi() {
    assertThat(BindingMessages.expected(Integer.class)).isEqualTo("expected a whole number");
    assertThat(BindingMessages.expected(Double.class)).isEqualTo("expected a number");
    assertThat(BindingMessages.expected(Boolean.class)).isEqualTo("expected true or false");
    assertThat(BindingMessages.expected(String.class)).isEqualTo("expected a string");
    assertThat(BindingMessages.expected(List.class)).isEqualTo("expected a list");
    assertThat(BindingMessages.expected(Map.class)).isEqualTo("expected a map of keys to values");
    assertThat(BindingMessages.expected(BindingMessagesTest.class)).isEqualTo("expected an object");
  }
}
