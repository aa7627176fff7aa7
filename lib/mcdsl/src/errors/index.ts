export { AppError, type ErrorBody, errorBody, isAppError } from "./app-error.ts";
export { ERROR_CODE_METADATA, grpcCodeFor, toConnectError } from "./grpc-code.ts";
