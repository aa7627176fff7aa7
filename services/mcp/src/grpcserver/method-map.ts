// The one gRPC access map (default deny; a test checks every method is declared). Every method
// needs a token for the agent's audience; the agent's use cases refuse guests.
import type { MethodMap } from "@metacircular/mcdsl/grpc";
import { AgentService } from "@metacircular/proto/mcp/v1/agent_pb";

const A = `/${AgentService.typeName}`;

export const grpcServices = [AgentService];

export const grpcAccess: MethodMap = {
  [`${A}/Deploy`]: "authenticated",
  [`${A}/StopService`]: "authenticated",
  [`${A}/StartService`]: "authenticated",
  [`${A}/Undeploy`]: "authenticated",
  [`${A}/ListComponents`]: "authenticated",
  [`${A}/GetServiceStatus`]: "authenticated",
  [`${A}/GetLogs`]: "authenticated",
  [`${A}/GetAgentStatus`]: "authenticated",
  [`${A}/Recover`]: "authenticated",
  [`${A}/Rollback`]: "authenticated",
  // files and images
  [`${A}/RestartService`]: "authenticated",
  [`${A}/FollowLogs`]: "authenticated",
  [`${A}/PushFile`]: "authenticated",
  [`${A}/PullFile`]: "authenticated",
  [`${A}/Snapshot`]: "authenticated",
  [`${A}/Restore`]: "authenticated",
};
