// N-API helpers shared by every native addon (MCNS udp_batch, MC-Proxy ingress). scripts/
// build-addon.mjs puts this directory on the include path and counts this header as an input,
// so an edit here rebuilds both addons. Header-only: every function is inline.
#pragma once

#include <node_api.h>
#include <uv.h>

#include <cstdint>
#include <cstdio>
#include <string>

namespace mcnapi {

/** Throws an Error with `code` and `msg`; returns nullptr for `return Throw(...)`. */
inline napi_value Throw(napi_env env, const char* code, const std::string& msg) {
  napi_throw_error(env, code, msg.c_str());
  return nullptr;
}

/** Throws for an errno as Node's own errors do: code "EADDRINUSE", message "what: reason". */
inline napi_value ThrowErrno(napi_env env, int err, const char* what) {
  int uverr = uv_translate_sys_error(err);
  char msg[256];
  snprintf(msg, sizeof msg, "%s: %s", what, uv_strerror(uverr));
  return Throw(env, uv_err_name(uverr), msg);
}

/** A JS string of at most 255 bytes (addresses, names); "" when `v` is not a string. */
inline std::string Str(napi_env env, napi_value v) {
  char buf[256] = {0};
  size_t len = 0;
  if (napi_get_value_string_utf8(env, v, buf, sizeof buf, &len) != napi_ok) return "";
  return std::string(buf, len);
}

/** A JS number; 0 when `v` is not a number. */
inline double Num(napi_env env, napi_value v) {
  double d = 0;
  napi_get_value_double(env, v, &d);
  return d;
}

}  // namespace mcnapi
