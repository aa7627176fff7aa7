// N-API binding of the ingress addon (see src/io/native-io.ts for the JS side and
// ARCHITECTURE.md "Native code"). K I/O threads accept, peek at the first bytes, ask JS for a
// verdict through one thread-safe function (events are batched into one buffer per call) and
// relay L4 connections without JS; L7 connections are handed to JS as file descriptors.
//
// JS API:
//   init(threads, helloTimeoutMs, onEvents(buf)) -> thread count
//   listen(ip, port, listenerId, backlog) -> { address, port }   (one SO_REUSEPORT socket per thread)
//   unlisten(listenerId)
//   verdict(id, kind, bytes|null, ip, port, statsId, idleMs)
//   adopt(id) -> fd, or -1 when the connection is already gone   (L7: JS takes the descriptor)
//   policy(listenerId, [sni, ip, port, idleMs, ...] | null, allow[], deny[], seq)   (the L4 fast
//     path's routes and the firewall's address lists; every thread acknowledges with seq)
//   fastHits() -> connections the fast path started
//   fastSni(buf) -> the name the fast path would route by, or null (for the differential test)
//   encodeEvents(records) -> Buffer   the event writers on records from JS (events_js.cc, for the
//     test of the event format)
//   active() -> connections owned by the I/O threads
//   closeAll()
//   reserve(ip, port) -> { fd, port }   bound, not listening (fixes port 0 for cluster workers)
//   release(fd)
#include <node_api.h>

#include <arpa/inet.h>
#include <netinet/tcp.h>
#include <errno.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <string.h>
#include <unistd.h>

#include <map>
#include <string>

#include "ingress.h"
#include "mc-napi.h"

namespace ingress {

napi_value EncodeEventsJs(napi_env env, napi_callback_info info);  // events_js.cc

namespace {

using mcnapi::Num;
using mcnapi::Str;
using mcnapi::Throw;
using mcnapi::ThrowErrno;

struct Addon {
  napi_threadsafe_function tsfn = nullptr;
  EventSink sink;
  std::vector<IoThread*> threads;
  std::map<int, int> listeners;  // listener id -> sockets
  std::atomic<bool> closing{false};
};

Addon* Get(napi_env env) {
  void* p = nullptr;
  napi_get_instance_data(env, &p);
  return static_cast<Addon*>(p);
}

bool ParseAddr(const std::string& ip, int port, sockaddr_storage* ss, socklen_t* len) {
  memset(ss, 0, sizeof *ss);
  if (ip.find(':') != std::string::npos) {
    auto* a = reinterpret_cast<sockaddr_in6*>(ss);
    a->sin6_family = AF_INET6;
    a->sin6_port = htons(static_cast<uint16_t>(port));
    *len = sizeof *a;
    return inet_pton(AF_INET6, ip.c_str(), &a->sin6_addr) == 1;
  }
  auto* a = reinterpret_cast<sockaddr_in*>(ss);
  a->sin_family = AF_INET;
  a->sin_port = htons(static_cast<uint16_t>(port));
  *len = sizeof *a;
  return inet_pton(AF_INET, ip.c_str(), &a->sin_addr) == 1;
}

// A bound SO_REUSEPORT socket; errno on failure is left for the caller.
int BoundSocket(const sockaddr_storage& ss, socklen_t len) {
  int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
  // Accepted sockets inherit TCP_NODELAY from the listener: no setsockopt per connection.
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (bind(fd, reinterpret_cast<const sockaddr*>(&ss), len) != 0) {
    int e = errno;
    close(fd);
    errno = e;
    return -1;
  }
  return fd;
}

void CallJs(napi_env env, napi_value cb, void* context, void* /*data*/) {
  if (env == nullptr || cb == nullptr) return;
  auto* a = static_cast<Addon*>(context);
  std::vector<uint8_t> events = a->sink.Take();
  if (events.empty()) return;
  napi_value buf, undefined;
  void* unused;
  if (napi_create_buffer_copy(env, events.size(), events.data(), &unused, &buf) != napi_ok) return;
  napi_get_undefined(env, &undefined);
  if (napi_call_function(env, undefined, cb, 1, &buf, nullptr) == napi_pending_exception) {
    napi_value err;
    napi_get_and_clear_last_exception(env, &err);
    napi_fatal_exception(env, err);
  }
}

void Stop(Addon* a) {
  a->closing.store(true);
  for (IoThread* t : a->threads) t->StopAndJoin();
  for (IoThread* t : a->threads) delete t;
  a->threads.clear();
  if (a->tsfn != nullptr) napi_release_threadsafe_function(a->tsfn, napi_tsfn_abort);
  a->tsfn = nullptr;
}

void Cleanup(void* arg) { Stop(static_cast<Addon*>(arg)); }

void FinalizeAddon(napi_env env, void* data, void* /*hint*/) {
  auto* a = static_cast<Addon*>(data);
  napi_remove_env_cleanup_hook(env, Cleanup, a);
  Stop(a);
  delete a;
}

napi_value Init(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  Addon* a = Get(env);
  if (!a->threads.empty()) return Throw(env, "ERR_INGRESS", "already initialised");
  napi_valuetype t;
  if (argc < 3 || napi_typeof(env, argv[2], &t) != napi_ok || t != napi_function)
    return Throw(env, "ERR_INVALID_ARG", "init(threads, helloTimeoutMs, onEvents)");
  int n = static_cast<int>(Num(env, argv[0]));
  if (n <= 0) n = static_cast<int>(std::thread::hardware_concurrency());
  if (n <= 0) n = 1;
  if (n > kMaxThreads) n = kMaxThreads;
  Config cfg;
  cfg.helloTimeoutMs = static_cast<int>(Num(env, argv[1]));
  napi_value name;
  napi_create_string_utf8(env, "mcproxy.ingress", NAPI_AUTO_LENGTH, &name);
  if (napi_create_threadsafe_function(env, argv[2], nullptr, name, 0, 1, nullptr, nullptr, a,
                                      CallJs, &a->tsfn) != napi_ok)
    return Throw(env, "ERR_INGRESS", "cannot create the event callback");
  // Listening sockets keep the event loop alive (ref in listen), nothing else does.
  napi_unref_threadsafe_function(env, a->tsfn);
  a->closing.store(false);
  a->sink.notify = [a] {
    if (!a->closing.load(std::memory_order_relaxed) && a->tsfn != nullptr)
      napi_call_threadsafe_function(a->tsfn, nullptr, napi_tsfn_nonblocking);
  };
  for (int i = 0; i < n; i++) {
    auto* th = new IoThread(i, cfg, &a->sink);
    if (!th->Start()) {
      delete th;
      Stop(a);
      return ThrowErrno(env, errno, "starting an I/O thread");
    }
    a->threads.push_back(th);
  }
  napi_value out;
  napi_create_int32(env, n, &out);
  return out;
}

napi_value Listen(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  Addon* a = Get(env);
  if (a->threads.empty()) return Throw(env, "ERR_INGRESS", "not initialised");
  if (argc < 4) return Throw(env, "ERR_INVALID_ARG", "listen(ip, port, listenerId, backlog)");
  std::string ip = Str(env, argv[0]);
  int port = static_cast<int>(Num(env, argv[1]));
  int id = static_cast<int>(Num(env, argv[2]));
  int backlog = static_cast<int>(Num(env, argv[3]));
  sockaddr_storage ss;
  socklen_t len;
  if (port < 0 || port > 65535 || !ParseAddr(ip, port, &ss, &len))
    return Throw(env, "ERR_INVALID_ARG", "listen: bad address " + ip);
  std::vector<int> fds;
  for (size_t i = 0; i < a->threads.size(); i++) {
    int fd = BoundSocket(ss, len);
    if (fd >= 0 && listen(fd, backlog) != 0) {
      int e = errno;
      close(fd);
      errno = e;
      fd = -1;
    }
    if (fd < 0) {
      int e = errno;
      for (int f : fds) close(f);
      return ThrowErrno(env, e, ("listen " + ip + ":" + std::to_string(port)).c_str());
    }
    if (fds.empty()) {  // port 0: every other thread binds the port the first one got
      socklen_t blen = len;
      getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &blen);
    }
    fds.push_back(fd);
  }
  for (size_t i = 0; i < fds.size(); i++) {
    Cmd c{Cmd::kAddListener};
    c.fd = fds[i];
    c.listenerId = id;
    a->threads[i]->Post(std::move(c));
  }
  if (a->listeners[id]++ == 0 && a->listeners.size() == 1) napi_ref_threadsafe_function(env, a->tsfn);
  uint16_t boundPort;
  std::string addr = AddrString(ss, &boundPort);
  napi_value out, v;
  napi_create_object(env, &out);
  napi_create_string_utf8(env, addr.c_str(), addr.size(), &v);
  napi_set_named_property(env, out, "address", v);
  napi_create_int32(env, boundPort, &v);
  napi_set_named_property(env, out, "port", v);
  return out;
}

napi_value Unlisten(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  Addon* a = Get(env);
  int id = argc > 0 ? static_cast<int>(Num(env, argv[0])) : -1;
  auto it = a->listeners.find(id);
  if (it == a->listeners.end()) return nullptr;
  a->listeners.erase(it);
  for (IoThread* t : a->threads) {
    Cmd c{Cmd::kCloseListener};
    c.listenerId = id;
    t->Post(std::move(c));
  }
  if (a->listeners.empty() && a->tsfn != nullptr) napi_unref_threadsafe_function(env, a->tsfn);
  return nullptr;
}

napi_value Verdict(napi_env env, napi_callback_info info) {
  size_t argc = 7;
  napi_value argv[7];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  Addon* a = Get(env);
  if (argc < 2 || a->threads.empty()) return nullptr;
  Cmd c{Cmd::kVerdict};
  c.id = static_cast<uint64_t>(Num(env, argv[0]));
  c.kind = static_cast<int>(Num(env, argv[1]));
  size_t thread = c.id & (kMaxThreads - 1);
  if (thread >= a->threads.size()) return nullptr;
  bool isTyped = false;
  if (argc > 2) napi_is_typedarray(env, argv[2], &isTyped);
  if (isTyped) {
    napi_typedarray_type type;
    size_t len;
    void* data;
    napi_value ab;
    size_t off;
    napi_get_typedarray_info(env, argv[2], &type, &len, &data, &ab, &off);
    c.bytes.assign(static_cast<uint8_t*>(data), static_cast<uint8_t*>(data) + len);
  }
  if (c.kind == kRelay) {
    if (argc < 7) return Throw(env, "ERR_INVALID_ARG", "relay verdict needs ip, port, statsId, idleMs");
    int port = static_cast<int>(Num(env, argv[4]));
    if (port <= 0 || port > 65535 || !ParseAddr(Str(env, argv[3]), port, &c.addr, &c.addrLen))
      return Throw(env, "ERR_INVALID_ARG", "relay verdict: backend must be a numeric address");
    c.statsId = static_cast<uint32_t>(Num(env, argv[5]));
    c.idleMs = static_cast<uint32_t>(Num(env, argv[6]));
  }
  a->threads[thread]->Post(std::move(c));
  return nullptr;
}

napi_value Adopt(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  Addon* a = Get(env);
  int fd = -1;
  if (argc >= 1 && !a->threads.empty()) {
    auto id = static_cast<uint64_t>(Num(env, argv[0]));
    size_t thread = id & (kMaxThreads - 1);
    if (thread < a->threads.size() && !a->threads[thread]->Adopt(id, &fd)) fd = -1;
  }
  napi_value out;
  napi_create_int32(env, fd, &out);
  return out;
}

std::vector<std::string> Strings(napi_env env, napi_value arr) {
  std::vector<std::string> out;
  bool isArray = false;
  napi_is_array(env, arr, &isArray);
  if (!isArray) return out;
  uint32_t n = 0;
  napi_get_array_length(env, arr, &n);
  for (uint32_t i = 0; i < n; i++) {
    napi_value v;
    napi_get_element(env, arr, i, &v);
    out.push_back(Str(env, v));
  }
  return out;
}

napi_value Policy(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  if (argc < 5)
    return Throw(env, "ERR_INVALID_ARG", "policy(listenerId, routes | null, allow, deny, seq)");
  Addon* a = Get(env);
  int listenerId = static_cast<int>(Num(env, argv[0]));
  auto seq = static_cast<uint32_t>(Num(env, argv[4]));
  std::shared_ptr<FastTable> table;
  bool isArray = false;
  napi_is_array(env, argv[1], &isArray);
  if (isArray) {
    table = std::make_shared<FastTable>();
    uint32_t n = 0;
    napi_get_array_length(env, argv[1], &n);
    for (uint32_t i = 0; i + 3 < n; i += 4) {
      napi_value v[4];
      for (uint32_t k = 0; k < 4; k++) napi_get_element(env, argv[1], i + k, &v[k]);
      FastRoute r;
      int port = static_cast<int>(Num(env, v[2]));
      if (port <= 0 || port > 65535 || !ParseAddr(Str(env, v[1]), port, &r.addr, &r.addrLen))
        return Throw(env, "ERR_INVALID_ARG", "policy: backend must be a numeric address");
      r.idleMs = static_cast<uint32_t>(Num(env, v[3]));
      table->routes[Str(env, v[0])] = r;
    }
  }
  std::shared_ptr<PeerFilter> filter;
  std::vector<std::string> deny = Strings(env, argv[3]);
  if (!deny.empty()) {
    filter = std::make_shared<PeerFilter>();
    Net net;
    // An entry this parser does not take is left to JS, which checks at the first bytes.
    for (const std::string& s : deny)
      if (ParseNet(s, &net)) filter->deny.push_back(net);
    for (const std::string& s : Strings(env, argv[2]))
      if (ParseNet(s, &net)) filter->allow.push_back(net);
  }
  for (IoThread* t : a->threads) {
    Cmd c{Cmd::kPolicy};
    c.listenerId = listenerId;
    c.fast = table;
    c.filter = filter;
    c.seq = seq;
    t->Post(std::move(c));
  }
  return nullptr;
}

napi_value FastHits(napi_env env, napi_callback_info /*info*/) {
  double n = 0;
  for (IoThread* t : Get(env)->threads) n += static_cast<double>(t->fastHits.load());
  napi_value out;
  napi_create_double(env, n, &out);
  return out;
}

napi_value FastSniJs(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  bool isTyped = false;
  if (argc > 0) napi_is_typedarray(env, argv[0], &isTyped);
  if (!isTyped) return Throw(env, "ERR_INVALID_ARG", "fastSni(buffer)");
  napi_typedarray_type type;
  size_t len;
  void* data;
  napi_value ab;
  size_t off;
  napi_get_typedarray_info(env, argv[0], &type, &len, &data, &ab, &off);
  std::string sni;
  napi_value out;
  if (FastSni(static_cast<const uint8_t*>(data), len, &sni))
    napi_create_string_latin1(env, sni.data(), sni.size(), &out);
  else
    napi_get_null(env, &out);
  return out;
}

napi_value Active(napi_env env, napi_callback_info /*info*/) {
  Addon* a = Get(env);
  int n = 0;
  for (IoThread* t : a->threads) n += t->active.load(std::memory_order_relaxed);
  napi_value out;
  napi_create_int32(env, n, &out);
  return out;
}

napi_value CloseAll(napi_env env, napi_callback_info /*info*/) {
  for (IoThread* t : Get(env)->threads) t->Post(Cmd{Cmd::kCloseAll});
  return nullptr;
}

napi_value Reserve(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  if (argc < 2) return Throw(env, "ERR_INVALID_ARG", "reserve(ip, port)");
  std::string ip = Str(env, argv[0]);
  int port = static_cast<int>(Num(env, argv[1]));
  sockaddr_storage ss;
  socklen_t len;
  if (port < 0 || port > 65535 || !ParseAddr(ip, port, &ss, &len))
    return Throw(env, "ERR_INVALID_ARG", "reserve: bad address " + ip);
  int fd = BoundSocket(ss, len);
  if (fd < 0) return ThrowErrno(env, errno, ("reserve " + ip).c_str());
  getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len);
  uint16_t bound;
  AddrString(ss, &bound);
  napi_value out, v;
  napi_create_object(env, &out);
  napi_create_int32(env, fd, &v);
  napi_set_named_property(env, out, "fd", v);
  napi_create_int32(env, bound, &v);
  napi_set_named_property(env, out, "port", v);
  return out;
}

napi_value Release(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  if (argc > 0) {
    int fd = static_cast<int>(Num(env, argv[0]));
    if (fd > 2) close(fd);
  }
  return nullptr;
}

// trimMemory(): hands the malloc heap's free pages back to the kernel (glibc malloc_trim). Memory
// freed by closed connections (TLS buffers, socket and HTTP/2 state) otherwise stays resident.
napi_value TrimMemory(napi_env env, napi_callback_info) {
  napi_value out;
#ifdef __GLIBC__
  napi_get_boolean(env, malloc_trim(0) == 1, &out);
#else
  napi_get_boolean(env, false, &out);
#endif
  return out;
}

napi_value ModuleInit(napi_env env, napi_value exports) {
  auto* a = new Addon();
  napi_set_instance_data(env, a, FinalizeAddon, nullptr);
  napi_add_env_cleanup_hook(env, Cleanup, a);
  struct {
    const char* name;
    napi_callback fn;
  } fns[] = {{"init", Init},         {"listen", Listen},     {"unlisten", Unlisten},
             {"verdict", Verdict},   {"adopt", Adopt},       {"active", Active},
             {"closeAll", CloseAll}, {"reserve", Reserve},   {"release", Release},
             {"policy", Policy}, {"fastHits", FastHits}, {"fastSni", FastSniJs},
             {"trimMemory", TrimMemory}, {"encodeEvents", EncodeEventsJs}};
  for (auto& f : fns) {
    napi_value v;
    napi_create_function(env, f.name, NAPI_AUTO_LENGTH, f.fn, nullptr, &v);
    napi_set_named_property(env, exports, f.name, v);
  }
  return exports;
}

}  // namespace
}  // namespace ingress

NAPI_MODULE(NODE_GYP_MODULE_NAME, ingress::ModuleInit)
