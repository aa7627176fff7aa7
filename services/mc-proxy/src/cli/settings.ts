// mcproxyctl's one setting: the admin socket (flag > MCPROXY_SOCKET > CLI profile > default).
import type { SettingSpec } from "@metacircular/mcdsl/cli";

export const SETTINGS: SettingSpec[] = [
  {
    flags: "--socket <path>",
    description: "mc-proxy's admin socket",
    env: "MCPROXY_SOCKET",
    fromProfile: (p) => p.mc_proxy.socket,
    fallback: "/srv/mc-proxy/mc-proxy.sock",
  },
];
