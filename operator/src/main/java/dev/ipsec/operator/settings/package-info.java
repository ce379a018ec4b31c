/**
 * strongSwan's settings format ({@code swanctl.conf}, {@code strongswan.conf}), written by the
 * renderer and read by the agent, without Kubernetes.
 *
 * <ul>
 *   <li>{@link dev.ipsec.operator.settings.SettingsWriter}: the one writer; every value quoted,
 *       names and control characters refused, so no value can add, close or reopen a section.
 *   <li>{@link dev.ipsec.operator.settings.SettingsParser}: the one parser, with includes, into a
 *       {@link dev.ipsec.operator.settings.SettingsSection} tree; errors name file, line and
 *       section path ({@link dev.ipsec.operator.settings.SettingsException}).
 *   <li>{@link dev.ipsec.operator.settings.SettingsSource}: where the parser finds files: a
 *       directory on disk ({@link dev.ipsec.operator.settings.DirectorySource}) or files already in
 *       memory ({@link dev.ipsec.operator.settings.InMemorySource}).
 *   <li>{@link dev.ipsec.operator.settings.ConfigTree}: a configuration directory read the same
 *       whether nested or flat, as a projected volume without {@code items} lays it out.
 * </ul>
 */
package dev.ipsec.operator.settings;
