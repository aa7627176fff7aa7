// The barrier's stable errors. None carries key material, a password or a share.

import { AppError } from "@metacircular/mcdsl/errors";

export const sealedError = (): AppError =>
  new AppError(503, "sealed", "metacrypt is sealed: unseal it first");
export const notInitialized = (): AppError =>
  new AppError(409, "not_initialized", "metacrypt is not initialized");
export const alreadyInitialized = (): AppError =>
  AppError.conflict("already_initialized", "metacrypt is already initialized");
export const alreadyUnsealed = (): AppError =>
  AppError.conflict("already_unsealed", "metacrypt is already unsealed");
export const badUnsealSecret = (): AppError =>
  AppError.badRequest("invalid_unseal_secret", "the unseal secret is wrong");
