package dev.ipsec.operator.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A test that starts a real charon or a network namespace (or asks dpkg about strongSwan's
 * packages): it needs root and the packages {@code bin/setup} installs. {@code bin/test} runs it;
 * the unit tier ({@code mvn -pl operator test -Punit}) leaves it out and runs without root.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag(RequiresCharon.TAG)
public @interface RequiresCharon {
  String TAG = "charon";
}
