// encodeEvents(records) -> Buffer: puts records described by JS objects through the same event
// writers and EventSink the I/O threads use, so a test can check the C++ encoder against the JS
// decoder (src/io/events.ts) field by field, without sockets or timing. Not used in production.
//
// A record is { type, ... } with the fields decodeEvents() returns for that type:
//   peek: id, listenerId, peerPort, localPort, peer, local, bytes (Uint8Array)
//   fast: id, listenerId, peerPort, localPort, peer, local, sni
//   closed: id, statsId, up, down, ms, error      timeout, gone: id, listenerId
//   policyAck: id (the sequence number)           denied: listenerId, peer
#include <node_api.h>

#include <string>

#include "ingress.h"

namespace ingress {

namespace {

napi_value Field(napi_env env, napi_value obj, const char* name) {
  napi_value v = nullptr;
  napi_get_named_property(env, obj, name, &v);
  return v;
}

double NumField(napi_env env, napi_value obj, const char* name) {
  double d = 0;
  napi_get_value_double(env, Field(env, obj, name), &d);
  return d;
}

// Strings longer than 255 bytes are accepted here so that a test can check PutStr cuts them.
std::string StrField(napi_env env, napi_value obj, const char* name) {
  napi_value v = Field(env, obj, name);
  size_t len = 0;
  if (napi_get_value_string_latin1(env, v, nullptr, 0, &len) != napi_ok) return "";
  std::string s(len + 1, '\0');
  napi_get_value_string_latin1(env, v, &s[0], s.size(), &len);
  s.resize(len);
  return s;
}

bool BoolField(napi_env env, napi_value obj, const char* name) {
  bool b = false;
  napi_get_value_bool(env, Field(env, obj, name), &b);
  return b;
}

void ConnFields(napi_env env, napi_value obj, Conn* c) {
  c->id = static_cast<uint64_t>(NumField(env, obj, "id"));
  c->listenerId = static_cast<int>(NumField(env, obj, "listenerId"));
  c->peerPort = static_cast<uint16_t>(NumField(env, obj, "peerPort"));
  c->localPort = static_cast<uint16_t>(NumField(env, obj, "localPort"));
  c->peer = StrField(env, obj, "peer");
  c->local = StrField(env, obj, "local");
}

// One record; false for an unknown type or a peek without bytes.
bool Encode(napi_env env, napi_value obj, std::vector<uint8_t>* rec) {
  std::string type = StrField(env, obj, "type");
  Conn c;
  if (type == "peek") {
    ConnFields(env, obj, &c);
    bool isTyped = false;
    napi_value bytes = Field(env, obj, "bytes");
    napi_is_typedarray(env, bytes, &isTyped);
    if (!isTyped) return false;
    napi_typedarray_type t;
    size_t len = 0;
    void* data = nullptr;
    napi_get_typedarray_info(env, bytes, &t, &len, &data, nullptr, nullptr);
    const auto* p = static_cast<const uint8_t*>(data);
    if (len > 0) c.peek.assign(p, p + len);
    PutPeekEvent(*rec, c);
  } else if (type == "fast") {
    ConnFields(env, obj, &c);
    PutFastEvent(*rec, c, StrField(env, obj, "sni"));
  } else if (type == "closed") {
    ClosedStats s;
    s.id = static_cast<uint64_t>(NumField(env, obj, "id"));
    s.statsId = static_cast<uint32_t>(NumField(env, obj, "statsId"));
    s.up = static_cast<uint64_t>(NumField(env, obj, "up"));
    s.down = static_cast<uint64_t>(NumField(env, obj, "down"));
    s.ms = static_cast<uint32_t>(NumField(env, obj, "ms"));
    s.error = BoolField(env, obj, "error");
    PutClosedEvent(*rec, s);
  } else if (type == "timeout" || type == "gone") {
    PutEndEvent(*rec, type == "timeout" ? kEvTimeout : kEvGone,
                static_cast<uint64_t>(NumField(env, obj, "id")),
                static_cast<int>(NumField(env, obj, "listenerId")));
  } else if (type == "policyAck") {
    PutPolicyAckEvent(*rec, static_cast<uint32_t>(NumField(env, obj, "id")));
  } else if (type == "denied") {
    PutDeniedEvent(*rec, static_cast<int>(NumField(env, obj, "listenerId")),
                   StrField(env, obj, "peer"));
  } else {
    return false;
  }
  return true;
}

}  // namespace

napi_value EncodeEventsJs(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value arr;
  napi_get_cb_info(env, info, &argc, &arr, nullptr, nullptr);
  bool isArray = false;
  if (argc > 0) napi_is_array(env, arr, &isArray);
  if (!isArray) {
    napi_throw_error(env, "ERR_INVALID_ARG", "encodeEvents(records)");
    return nullptr;
  }
  uint32_t n = 0;
  napi_get_array_length(env, arr, &n);
  EventSink sink;  // the threads' path: records pushed one by one, taken as one batch
  for (uint32_t i = 0; i < n; i++) {
    napi_value obj;
    napi_get_element(env, arr, i, &obj);
    std::vector<uint8_t> rec;
    if (!Encode(env, obj, &rec)) {
      napi_throw_error(env, "ERR_INVALID_ARG", ("encodeEvents: bad record " + std::to_string(i)).c_str());
      return nullptr;
    }
    sink.Push(rec, i % 2 == 0);
  }
  std::vector<uint8_t> batch = sink.Take();
  napi_value out;
  void* unused;
  napi_create_buffer_copy(env, batch.size(), batch.data(), &unused, &out);
  return out;
}

}  // namespace ingress
