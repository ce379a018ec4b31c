package dev.ipsec.operator.demo;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Map;

/**
 * What runs a pod's containers for the kubelet stand-in: network namespaces with real charon and
 * the real agent in the demo and the end-to-end tests, or a recording fake in unit tests.
 */
public interface PodRuntime {

  /**
   * Starts the pod's containers with its volumes already projected.
   *
   * @param volumes volume name to its files (relative path to content)
   * @return the pod's IP address
   */
  String start(Pod pod, Map<String, Map<String, byte[]>> volumes);

  /** Replaces the files of one volume of a running pod, atomically as the kubelet does. */
  void updateVolume(Pod pod, String volumeName, Map<String, byte[]> files);

  /** Whether the pod passes its readiness check now. */
  boolean isReady(Pod pod);

  /** The containers of a running pod whose process has exited (crashed or killed). */
  List<String> exitedContainers(Pod pod);

  /** Starts an exited container of a running pod again, in the same sandbox and volumes. */
  void restartContainer(Pod pod, String container);

  /** Stops the pod's containers and releases what it used. */
  void stop(Pod pod);
}
