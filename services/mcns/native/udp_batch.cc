// Batched UDP I/O for the MCNS DNS listener: one recvmmsg(2) fills up to BATCH datagrams into a
// buffer shared with JavaScript, one JS call answers them all in place, one sendmmsg(2) sends the
// replies. This replaces node:dgram's per-datagram path (a recvmsg, a Buffer and an rinfo object,
// a JS callback and a send binding call per packet), which dominates the CPU of a UDP DNS server.
//
// The socket is owned here and watched with a libuv poll handle on Node's own event loop, so no
// threads are involved and JS runs exactly as it does for any other I/O callback.
//
// JS API (see src/dnsserver/udp-batch.ts):
//   open(ipv6, host, port, rcvbuf, sndbuf, onBatch) -> { handle, port, data, addrs, meta, batch, slot }
//     data:  ArrayBuffer of batch*slot bytes; datagram i arrives at i*slot and its reply is
//            written back over it (replies longer than a slot go through sendTo).
//     addrs: ArrayBuffer of batch*ADDR_SLOT bytes, the raw sockaddr of each datagram's sender.
//     meta:  Int32Array storage, 4 per datagram: [query length (-1 if truncated), sockaddr
//            length, reply length (JS sets; 0 = no reply), unused].
//     onBatch(n) is called with the number of datagrams received.
//   sendTo(handle, bytes: Uint8Array, sockaddr: Uint8Array, sockaddrLen) -> 0 or -errno
//   close(handle, onClosed?) — onClosed runs once the socket is closed (port free again)

#include <node_api.h>
#include <uv.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <new>

#include "mc-napi.h"

namespace {

using mcnapi::ThrowErrno;

constexpr int kBatch = 64;
constexpr int kSlot = 4096;
constexpr int kAddrSlot = 32;  // >= sizeof(sockaddr_in6) == 28
constexpr int kRoundsPerWakeup = 8;

struct Sock {
  napi_env env = nullptr;
  uv_poll_t poll;
  int fd = -1;
  bool closed = false;
  napi_ref callback = nullptr;
  napi_ref closeCallback = nullptr;
  napi_ref dataRef = nullptr;
  napi_ref addrsRef = nullptr;
  napi_ref metaRef = nullptr;
  napi_ref resource = nullptr;
  napi_async_context actx = nullptr;
  uint8_t* data = nullptr;
  uint8_t* addrs = nullptr;
  int32_t* meta = nullptr;
  mmsghdr msgs[kBatch];
  iovec iovs[kBatch];
};

Sock* GetSock(napi_env env, napi_value v) {
  void* p = nullptr;
  if (napi_get_value_external(env, v, &p) != napi_ok) {
    napi_throw_type_error(env, nullptr, "expected a udp_batch handle");
    return nullptr;
  }
  return static_cast<Sock*>(p);
}

void ReleaseRefs(Sock* s) {
  napi_ref* refs[] = {&s->callback, &s->closeCallback, &s->dataRef,
                      &s->addrsRef, &s->metaRef,        &s->resource};
  for (napi_ref* r : refs) {
    if (*r) napi_delete_reference(s->env, *r);
    *r = nullptr;
  }
  if (s->actx) napi_async_destroy(s->env, s->actx);
  s->actx = nullptr;
}

void SendReplies(Sock* s, int n) {
  mmsghdr out[kBatch];
  iovec iov[kBatch];
  int count = 0;
  for (int i = 0; i < n; i++) {
    int32_t len = s->meta[i * 4 + 2];
    if (len <= 0 || len > kSlot) continue;
    iov[count].iov_base = s->data + i * kSlot;
    iov[count].iov_len = static_cast<size_t>(len);
    msghdr& h = out[count].msg_hdr;
    memset(&h, 0, sizeof h);
    h.msg_name = s->addrs + i * kAddrSlot;
    h.msg_namelen = static_cast<socklen_t>(s->meta[i * 4 + 1]);
    h.msg_iov = &iov[count];
    h.msg_iovlen = 1;
    count++;
  }
  int done = 0;
  while (done < count) {
    int r = sendmmsg(s->fd, out + done, static_cast<unsigned>(count - done), MSG_DONTWAIT);
    if (r > 0) {
      done += r;
    } else if (r < 0 && errno == EINTR) {
      continue;
    } else {
      // This datagram cannot be sent (send buffer full, unreachable address): drop it, as UDP
      // would, and carry on with the rest of the batch.
      done++;
    }
  }
}

void OnReadable(uv_poll_t* handle, int status, int /*events*/) {
  Sock* s = static_cast<Sock*>(handle->data);
  if (status < 0 || s->closed) return;
  napi_env env = s->env;
  napi_handle_scope scope;
  if (napi_open_handle_scope(env, &scope) != napi_ok) return;
  for (int round = 0; round < kRoundsPerWakeup && !s->closed; round++) {
    for (int i = 0; i < kBatch; i++) {
      s->iovs[i].iov_base = s->data + i * kSlot;
      s->iovs[i].iov_len = kSlot;
      msghdr& h = s->msgs[i].msg_hdr;
      h.msg_name = s->addrs + i * kAddrSlot;
      h.msg_namelen = kAddrSlot;
      h.msg_iov = &s->iovs[i];
      h.msg_iovlen = 1;
      h.msg_control = nullptr;
      h.msg_controllen = 0;
      h.msg_flags = 0;
    }
    int n = recvmmsg(s->fd, s->msgs, kBatch, MSG_DONTWAIT, nullptr);
    if (n <= 0) break;  // EAGAIN (drained) or a transient error: wait for the next wakeup.
    for (int i = 0; i < n; i++) {
      const msghdr& h = s->msgs[i].msg_hdr;
      s->meta[i * 4] = (h.msg_flags & MSG_TRUNC) ? -1 : static_cast<int32_t>(s->msgs[i].msg_len);
      s->meta[i * 4 + 1] = static_cast<int32_t>(h.msg_namelen);
      s->meta[i * 4 + 2] = 0;
    }
    napi_value cb, arg, result, resource;
    napi_get_reference_value(env, s->callback, &cb);
    napi_get_reference_value(env, s->resource, &resource);
    napi_create_int32(env, n, &arg);
    napi_status st = napi_make_callback(env, s->actx, resource, cb, 1, &arg, &result);
    if (st == napi_pending_exception) {
      napi_value err;
      napi_get_and_clear_last_exception(env, &err);
      napi_fatal_exception(env, err);
      break;
    }
    if (s->closed) break;
    SendReplies(s, n);
    if (n < kBatch) break;
  }
  napi_close_handle_scope(env, scope);
}

void OnClosed(uv_handle_t* handle) {
  Sock* s = static_cast<Sock*>(handle->data);
  close(s->fd);
  s->fd = -1;
  // Released here, on a later loop turn, never inside the batch callback that may have called
  // close() (napi_make_callback is still using the async context there). Then the port is free
  // and close()'s callback runs.
  napi_env env = s->env;
  napi_handle_scope scope;
  if (napi_open_handle_scope(env, &scope) != napi_ok) return;
  napi_value cb = nullptr, resource = nullptr, result;
  if (s->closeCallback) napi_get_reference_value(env, s->closeCallback, &cb);
  napi_get_reference_value(env, s->resource, &resource);
  if (cb && resource && s->actx) {
    napi_status st = napi_make_callback(env, s->actx, resource, cb, 0, nullptr, &result);
    if (st == napi_pending_exception) {
      napi_value err;
      napi_get_and_clear_last_exception(env, &err);
      napi_fatal_exception(env, err);
    }
  }
  ReleaseRefs(s);
  napi_close_handle_scope(env, scope);
}

void Finalize(napi_env /*env*/, void* data, void* /*hint*/) {
  Sock* s = static_cast<Sock*>(data);
  // A socket that was never closed is still on the event loop: leave it be (process exit).
  if (s->closed && s->fd < 0) delete s;
}

napi_value MakeBuffer(napi_env env, size_t len, uint8_t** ptr, napi_ref* ref) {
  napi_value ab;
  void* p = nullptr;
  if (napi_create_arraybuffer(env, len, &p, &ab) != napi_ok) return nullptr;
  memset(p, 0, len);
  *ptr = static_cast<uint8_t*>(p);
  napi_create_reference(env, ab, 1, ref);
  return ab;
}

napi_value Open(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  if (argc < 6) {
    napi_throw_type_error(env, nullptr, "open(ipv6, host, port, rcvbuf, sndbuf, onBatch)");
    return nullptr;
  }
  bool ipv6 = false;
  char host[INET6_ADDRSTRLEN + 1] = {0};
  size_t hostLen = 0;
  int32_t port = 0, rcvbuf = 0, sndbuf = 0;
  napi_valuetype cbType;
  if (napi_get_value_bool(env, argv[0], &ipv6) != napi_ok ||
      napi_get_value_string_utf8(env, argv[1], host, sizeof host, &hostLen) != napi_ok ||
      napi_get_value_int32(env, argv[2], &port) != napi_ok ||
      napi_get_value_int32(env, argv[3], &rcvbuf) != napi_ok ||
      napi_get_value_int32(env, argv[4], &sndbuf) != napi_ok ||
      napi_typeof(env, argv[5], &cbType) != napi_ok || cbType != napi_function) {
    napi_throw_type_error(env, nullptr, "open(ipv6, host, port, rcvbuf, sndbuf, onBatch)");
    return nullptr;
  }
  sockaddr_storage ss;
  memset(&ss, 0, sizeof ss);
  socklen_t sslen;
  if (ipv6) {
    auto* a = reinterpret_cast<sockaddr_in6*>(&ss);
    a->sin6_family = AF_INET6;
    a->sin6_port = htons(static_cast<uint16_t>(port));
    if (inet_pton(AF_INET6, host, &a->sin6_addr) != 1) return ThrowErrno(env, EINVAL, "bind");
    sslen = sizeof *a;
  } else {
    auto* a = reinterpret_cast<sockaddr_in*>(&ss);
    a->sin_family = AF_INET;
    a->sin_port = htons(static_cast<uint16_t>(port));
    if (inet_pton(AF_INET, host, &a->sin_addr) != 1) return ThrowErrno(env, EINVAL, "bind");
    sslen = sizeof *a;
  }
  int fd = socket(ipv6 ? AF_INET6 : AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return ThrowErrno(env, errno, "socket");
  if (rcvbuf > 0) setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
  if (sndbuf > 0) setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
  if (bind(fd, reinterpret_cast<sockaddr*>(&ss), sslen) != 0) {
    int e = errno;
    close(fd);
    return ThrowErrno(env, e, "bind");
  }
  sockaddr_storage bound;
  socklen_t boundLen = sizeof bound;
  getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &boundLen);
  int boundPort = ntohs(bound.ss_family == AF_INET6
                            ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                            : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);

  uv_loop_t* loop = nullptr;
  napi_get_uv_event_loop(env, &loop);
  Sock* s = new (std::nothrow) Sock();
  if (!s) {
    close(fd);
    return ThrowErrno(env, ENOMEM, "open");
  }
  s->env = env;
  s->fd = fd;
  napi_value obj, dataAb, addrsAb, metaAb, ext, resourceObj, name, v;
  uint8_t* metaBytes = nullptr;
  dataAb = MakeBuffer(env, static_cast<size_t>(kBatch) * kSlot, &s->data, &s->dataRef);
  addrsAb = MakeBuffer(env, static_cast<size_t>(kBatch) * kAddrSlot, &s->addrs, &s->addrsRef);
  metaAb = MakeBuffer(env, static_cast<size_t>(kBatch) * 4 * sizeof(int32_t), &metaBytes,
                      &s->metaRef);
  s->meta = reinterpret_cast<int32_t*>(metaBytes);
  napi_create_reference(env, argv[5], 1, &s->callback);
  napi_create_object(env, &resourceObj);
  napi_create_reference(env, resourceObj, 1, &s->resource);
  napi_create_string_utf8(env, "mcns.udp_batch", NAPI_AUTO_LENGTH, &name);
  napi_async_init(env, resourceObj, name, &s->actx);
  if (uv_poll_init(loop, &s->poll, fd) != 0) {
    ReleaseRefs(s);
    close(fd);
    delete s;
    return ThrowErrno(env, EINVAL, "poll");
  }
  s->poll.data = s;
  uv_poll_start(&s->poll, UV_READABLE, OnReadable);
  napi_create_external(env, s, Finalize, nullptr, &ext);

  napi_create_object(env, &obj);
  napi_set_named_property(env, obj, "handle", ext);
  napi_create_int32(env, boundPort, &v);
  napi_set_named_property(env, obj, "port", v);
  napi_set_named_property(env, obj, "data", dataAb);
  napi_set_named_property(env, obj, "addrs", addrsAb);
  napi_set_named_property(env, obj, "meta", metaAb);
  napi_create_int32(env, kBatch, &v);
  napi_set_named_property(env, obj, "batch", v);
  napi_create_int32(env, kSlot, &v);
  napi_set_named_property(env, obj, "slot", v);
  napi_create_int32(env, kAddrSlot, &v);
  napi_set_named_property(env, obj, "addrSlot", v);
  return obj;
}

napi_value SendTo(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  if (argc < 4) {
    napi_throw_type_error(env, nullptr, "sendTo(handle, bytes, sockaddr, sockaddrLen)");
    return nullptr;
  }
  Sock* s = GetSock(env, argv[0]);
  if (!s) return nullptr;
  void* bytes = nullptr;
  size_t len = 0;
  void* addr = nullptr;
  size_t addrCap = 0;
  int32_t addrLen = 0;
  napi_typedarray_type t;
  napi_value ab;
  size_t off;
  if (napi_get_typedarray_info(env, argv[1], &t, &len, &bytes, &ab, &off) != napi_ok ||
      napi_get_typedarray_info(env, argv[2], &t, &addrCap, &addr, &ab, &off) != napi_ok ||
      napi_get_value_int32(env, argv[3], &addrLen) != napi_ok || addrLen < 0 ||
      static_cast<size_t>(addrLen) > addrCap) {
    napi_throw_type_error(env, nullptr, "sendTo(handle, bytes, sockaddr, sockaddrLen)");
    return nullptr;
  }
  napi_value result;
  if (s->closed) {
    napi_create_int32(env, -EBADF, &result);
    return result;
  }
  ssize_t r;
  do {
    r = sendto(s->fd, bytes, len, MSG_DONTWAIT, static_cast<sockaddr*>(addr),
               static_cast<socklen_t>(addrLen));
  } while (r < 0 && errno == EINTR);
  napi_create_int32(env, r < 0 ? -errno : 0, &result);
  return result;
}

napi_value Close(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  if (argc < 1) return nullptr;
  Sock* s = GetSock(env, argv[0]);
  if (!s || s->closed) return nullptr;
  s->closed = true;
  napi_valuetype t;
  if (argc > 1 && napi_typeof(env, argv[1], &t) == napi_ok && t == napi_function)
    napi_create_reference(env, argv[1], 1, &s->closeCallback);
  uv_poll_stop(&s->poll);
  uv_close(reinterpret_cast<uv_handle_t*>(&s->poll), OnClosed);
  return nullptr;
}

napi_value Init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"open", nullptr, Open, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"sendTo", nullptr, SendTo, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"close", nullptr, Close, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
