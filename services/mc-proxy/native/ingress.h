// Shared declarations of the ingress addon: I/O threads (io_thread.cc), the relay state machine
// (relay.cc) and the N-API binding (ingress.cc). Only EventSink and the per-thread command queue
// are touched by more than one thread; everything else belongs to exactly one I/O thread.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

namespace ingress {

// Events for JS, packed little-endian into one buffer per batch (decoded by src/io/events.ts).
enum EventType : uint8_t {
  kEvPeek = 1, kEvClosed = 2, kEvTimeout = 3, kEvGone = 4, kEvFast = 6, kEvPolicyAck = 7,
  kEvDenied = 8
};
// Verdicts from JS, one per peek event (an L7 connection is adopted instead: IoThread::Adopt).
enum VerdictKind : int { kMore = 0, kReset = 1, kSendClose = 2, kRelay = 3, kClose = 5 };

constexpr size_t kPeekMax = 16 * 1024 + 512;  // a ClientHello record plus a PROXY v2 header
constexpr size_t kScratch = 64 * 1024;         // relay read size
constexpr int kMaxThreads = 64;                // connection ids carry the thread in 6 bits
static_assert(kPeekMax <= kScratch, "peeked bytes are read through the scratch buffer");

// Collects events from every I/O thread; the JS thread takes the whole buffer at once.
class EventSink {
 public:
  std::function<void()> notify;  // wakes the JS thread (thread-safe function)
  // Urgent events (peeks) wake JS at once; others (relay results) ride along with the next
  // wakeup or are flushed by Kick() a few milliseconds later: one JS wakeup less per connection.
  void Push(const std::vector<uint8_t>& rec, bool urgent = true);
  void Kick();
  std::vector<uint8_t> Take();

 private:
  std::mutex mu_;
  std::vector<uint8_t> buf_;
  bool notified_ = false;  // a wakeup is on its way and will take everything in buf_
};

// A listener's exact-name L4 routes that the I/O threads may start without asking JS (published
// by JS only while nothing else has to be decided per connection: see fast_path.cc).
struct FastRoute {
  sockaddr_storage addr{};
  socklen_t addrLen = 0;
  uint32_t idleMs = 0;
};
struct FastTable {
  std::unordered_map<std::string, FastRoute> routes;  // lower-case SNI -> backend
  const FastRoute* Find(const std::string& sni) const;
};
// The SNI of a ClientHello that fits the fast path (see fast_path.cc); false: ask JS.
bool FastSni(const uint8_t* buf, size_t n, std::string* sni);

// The firewall's allow/deny address lists, checked at accept (peer_filter.cc).
struct Net {
  int family = 0;  // 4 or 6
  uint8_t addr[16] = {0};
  int prefix = 0;
};
bool ParseNet(const std::string& text, Net* out);
struct PeerFilter {
  std::vector<Net> allow, deny;
  bool Denies(const sockaddr_storage& peer) const;
};

struct Cmd {
  enum Type { kAddListener, kCloseListener, kVerdict, kCloseAll, kForget, kPolicy } type;
  explicit Cmd(Type t) : type(t) {}
  uint64_t id = 0;
  int fd = -1;
  int listenerId = 0;
  int kind = 0;
  std::vector<uint8_t> bytes;
  sockaddr_storage addr{};
  socklen_t addrLen = 0;
  uint32_t statsId = 0;
  uint32_t idleMs = 0;
  // kPolicy: the listener's fast-path table and peer filter (null: none), acknowledged with a
  // kEvPolicyAck event carrying seq.
  std::shared_ptr<const FastTable> fast;
  std::shared_ptr<const PeerFilter> filter;
  uint32_t seq = 0;
};

struct Config {
  int helloTimeoutMs = 10000;
};

struct Side {
  int fd = -1;
  uint32_t interest = 0;
  bool registered = false;
};

// One relay direction: bytes read from src, written to dst; `pending` holds what dst refused.
struct Dir {
  Dir(Side* s, Side* d) : src(s), dst(d) {}
  Side* src;
  Side* dst;
  std::vector<char> pending;
  size_t off = 0;
  bool eof = false;     // src reached EOF
  bool shut = false;    // dst was shut down for writing
  uint64_t bytes = 0;   // bytes written to dst
  bool Blocked() const { return off < pending.size(); }
};

enum class State { kPeek, kAwait, kConnecting, kRelay, kDraining };

struct Conn {
  uint64_t id = 0;
  int listenerId = 0;
  State state = State::kPeek;
  bool told = false;  // JS has seen a peek event (and keeps state for this id)
  bool dead = false;
  Side client, backend;
  Dir up{&client, &backend}, down{&backend, &client};
  std::vector<uint8_t> peek;
  std::string peer, local;
  uint16_t peerPort = 0, localPort = 0;
  int64_t deadline = 0, started = 0, lastActive = 0;
  uint32_t idleMs = 0, statsId = 0;
  uint64_t readUp = 0;  // bytes read from the client, peeked bytes included
  Conn* prev = nullptr;
  Conn* next = nullptr;
};

struct Listener {
  int fd = -1;
  int id = 0;
  // Bound to one address (not a wildcard): every connection's local address is this one, so
  // accept needs no getsockname.
  bool specific = false;
  std::string local;
  uint16_t localPort = 0;
  bool paused = false;  // out of fds: retried by the sweep
  std::shared_ptr<const FastTable> fast;
  std::shared_ptr<const PeerFilter> filter;
};

class IoThread {
 public:
  IoThread(int index, const Config& cfg, EventSink* sink);
  ~IoThread();
  bool Start();
  void Post(Cmd&& cmd);
  // JS thread: takes the client descriptor of a connection awaiting its verdict (L7 hand-off).
  // False when the thread closed the connection first; JS must then not touch `*fd`.
  bool Adopt(uint64_t id, int* fd);
  void StopAndJoin();
  std::atomic<int> active{0};
  std::atomic<uint64_t> fastHits{0};  // connections started by the fast path

 private:
  void Run();
  void ProcessCommands(bool woken);
  void OnListener(Listener* l);
  void OnClient(Conn* c, uint32_t ev);
  void OnBackend(Conn* c, uint32_t ev);
  void OnVerdict(Cmd& v);
  void PeekRead(Conn* c);
  void Sweep();
  void SetInterest(Conn* c, Side& s, uint32_t want);
  void UpdateRelayInterest(Conn* c);
  void StartRelay(Conn* c);
  // Dials the backend and relays `first` (peeked bytes, maybe behind a PROXY header) to it.
  void StartConnect(Conn* c, const sockaddr_storage& addr, socklen_t len,
                    std::vector<uint8_t>&& first, uint32_t idleMs);
  bool TryFastPath(Conn* c);
  // Relay (relay.cc): false when the connection had to be closed.
  bool Pump(Conn* c, Dir& d, bool read);
  bool Flush(Conn* c, Dir& d);
  void CloseConn(Conn* c, bool error, EventType gone = kEvGone);
  void CloseAll();
  void PushPeek(Conn* c);
  // Takes `c` off the adoptable set; false when JS adopted it already (its descriptor is JS's).
  bool Unawait(Conn* c);

  int index_;
  Config cfg_;
  EventSink* sink_;
  int ep_ = -1;
  int wake_ = -1;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::mutex mu_;
  std::vector<Cmd> queue_;
  // Guarded by mu_: connections JS may adopt (id -> client fd), i.e. in kAwait with a peek event
  // on its way. Whoever removes an entry owns the descriptor: JS (Adopt) or this thread.
  std::unordered_map<uint64_t, int> awaiting_;
  bool wakePending_ = false;        // guarded by mu_: an eventfd write is on its way
  std::atomic<bool> lazy_{false};  // commands queued without an eventfd wakeup (kForget)
  std::vector<Listener*> listeners_;
  std::unordered_map<uint64_t, Conn*> conns_;
  Conn* head_ = nullptr;
  std::vector<Conn*> graveyard_;
  uint64_t seq_ = 0;
  int64_t now_ = 0;
  int64_t lazySince_ = -1;  // time of the oldest relay result not yet flushed to JS
  char* scratch_ = nullptr;
};

int64_t NowMs();
std::string AddrString(const sockaddr_storage& ss, uint16_t* port);
void Put8(std::vector<uint8_t>& b, uint8_t v);
void Put32(std::vector<uint8_t>& b, uint32_t v);
void PutF64(std::vector<uint8_t>& b, double v);
void PutStr(std::vector<uint8_t>& b, const std::string& s);  // strings longer than 255 are cut

// Event records, appended to `b` (events.cc; decoded by src/io/events.ts, and encodeEvents() in
// events_js.cc lets a test put any record through them).
struct ClosedStats {
  uint64_t id = 0;
  uint32_t statsId = 0;
  uint64_t up = 0, down = 0;  // bytes from the client (peek included) and to it
  uint32_t ms = 0;
  bool error = false;
};
void PutPeekEvent(std::vector<uint8_t>& b, const Conn& c);  // c.peek is the payload
void PutFastEvent(std::vector<uint8_t>& b, const Conn& c, const std::string& sni);
void PutClosedEvent(std::vector<uint8_t>& b, const ClosedStats& s);
void PutEndEvent(std::vector<uint8_t>& b, EventType type, uint64_t id, int listenerId);  // timeout, gone
void PutPolicyAckEvent(std::vector<uint8_t>& b, uint32_t seq);
void PutDeniedEvent(std::vector<uint8_t>& b, int listenerId, const std::string& peer);

}  // namespace ingress
