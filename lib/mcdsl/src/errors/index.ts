export { AppError, type ErrorBody, errorBody, isAppError } from "./app-error.ts";
