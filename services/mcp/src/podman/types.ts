// What the agent asks of the container runtime, in its own terms (not libpod's field names).

export type RestartPolicy = "no" | "always" | "on-failure" | "unless-stopped";

export interface PortMapping {
  /** Host address the port is published on; default 127.0.0.1 (MC-Proxy is the way in). */
  hostIp?: string;
  hostPort: number;
  containerPort: number;
}

export interface VolumeMount {
  source: string;
  destination: string;
  readOnly: boolean;
}

export interface ContainerSpec {
  name: string;
  image: string;
  cmd?: string[];
  env: Record<string, string>;
  ports: PortMapping[];
  volumes: VolumeMount[];
  user?: string;
  /** "bridge" (default), "host", "none", or the name of a podman network. */
  network?: string;
  restart: RestartPolicy;
  /** Run a tiny init as PID 1 (forwards signals, reaps children). */
  init: boolean;
  labels: Record<string, string>;
}

export type ContainerState =
  | "created"
  | "running"
  | "paused"
  | "exited"
  | "stopped"
  | "removing"
  | "unknown";

export interface ContainerInfo {
  id: string;
  name: string;
  image: string;
  state: ContainerState;
  exitCode: number;
  labels: Record<string, string>;
  ports: PortMapping[];
  startedAt?: string;
  restartCount: number;
}

export interface ImageInfo {
  id: string;
  repoTags: string[];
  digest: string;
}

export interface RegistryAuth {
  username: string;
  password: string;
}
