#include "pool.h"

#include <algorithm>
#include <optional>
#include <vector>

#include "job.h"
#include "scheduler.h"

namespace weft {
namespace {
// The weight of the item an arena thread is running now (Start), for
// ItemThreads, which its job asks while it starts.
thread_local double running_weight = 1;
}  // namespace

void Pool::Launch(Job* job, std::function<void()> settle) {
  const double weight = next_weight_;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ++stats_.submitted;
    pending_weight_ += weight;
    if (next_announced_) incoming_weight_ = std::max(0.0, incoming_weight_ - weight);
    next_announced_ = false;  // a later native call of the same item was not announced
    if (stats_.running >= concurrency_) {
      queue_.push_back({job, std::move(settle), weight});
      try {
        queued_at_[job] = std::prev(queue_.end());
      } catch (...) {  // out of memory: the caller frees the job, so it must not stay queued
        queue_.pop_back();
        --stats_.submitted;
        pending_weight_ -= weight;
        throw;
      }
      CountQueued();
      return;
    }
    ++stats_.running;
  }
  Start({job, std::move(settle), weight});
}

void Pool::Expect(double weight) {
  std::lock_guard<std::mutex> lock(mutex_);
  incoming_weight_ = std::max(0.0, incoming_weight_ + weight);
}

void Pool::Start(Item item) {
  scheduler::Enqueue([self = shared_from_this(), item = std::move(item)] {
    self->NoteThreads();
    const auto started = std::chrono::steady_clock::now();
    running_weight = item.weight;
    item.job->Run();
    scheduler::Retire();
    self->NoteThreads();
    self->Finished(item.job->status(), item.weight, std::chrono::steady_clock::now() - started);
    item.settle();
  });
}

void Pool::Finished(const Status& status, double weight, std::chrono::steady_clock::duration took) {
  const Outcome outcome = status.ok()                               ? Outcome::kOk
                          : status.kind == Status::Kind::kCancelled ? Outcome::kCancelled
                                                                    : Outcome::kFailed;
  Finished(outcome, weight, std::chrono::duration<double, std::milli>(took).count());
}

void Pool::Finished(Outcome outcome, double weight, double ms) {
  std::optional<Item> next;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    pending_weight_ -= weight;
    if (outcome == Outcome::kOk) {
      ++stats_.completed;
    } else if (outcome == Outcome::kCancelled) {
      ++stats_.cancelled;
    } else {
      ++stats_.failed;
    }
    stats_.busy_ms += ms;
    if (queue_.empty()) {
      --stats_.running;
    } else {
      next = std::move(queue_.front());  // the slot passes straight on
      queued_at_.erase(queue_.front().job);
      queue_.pop_front();
      CountQueued();
    }
  }
  if (next) Start(std::move(*next));
}

bool Pool::TakeSlot(bool waiting) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!waiting) ++stats_.submitted;
  const bool free = stats_.running < concurrency_ && queue_.empty();
  if (free) {
    ++stats_.running;
    if (waiting) --waiting_;
  } else if (!waiting) {
    ++waiting_;
  }
  CountQueued();
  return free;
}

void Pool::EndItem(Outcome outcome, double ms) {
  Finished(outcome, /*weight=*/0, ms);
  NoteThreads();
}

void Pool::DropWaiting() {
  std::lock_guard<std::mutex> lock(mutex_);
  --waiting_;
  ++stats_.cancelled;
  CountQueued();
}

void Pool::Withdraw(const Job* job) {
  std::optional<Item> item;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto at = queued_at_.find(job);
    if (at == queued_at_.end()) return;  // running, or already done
    item = std::move(*at->second);
    queue_.erase(at->second);
    queued_at_.erase(at);
    CountQueued();
    ++stats_.cancelled;
    pending_weight_ -= item->weight;
  }
  // Its call was aborted, so this only records that (no work, no arena).
  item->job->RunGuarded();
  scheduler::Retire();
  item->settle();
}

int Pool::ItemThreads(int arena_threads) {
  switch (mode_) {
    case Mode::kSerialInner:
      return 1;
    case Mode::kStatic:  // like `python -m smp`: an equal share of the arena each
      return std::max(1, arena_threads / concurrency_);
    default:
      break;
  }
  // Composable. Nested parallelism only pays while threads would otherwise
  // idle: MKL's threaded paths cost more than its serial ones on a busy
  // arena (10 concurrent QR 256 on 2 cores: 12.5 ms free, 9.2 ms
  // single-threaded each). So this item runs single-threaded when the work
  // beside it fills the arena's other threads for as long as it runs so:
  // other jobs (each counted as heavy as this item) and this pool's other
  // items, by weight, also those its map has announced and not launched
  // yet — and at most concurrency - 1 of those run beside it.
  // With equal items this is the old rule (pending jobs >= threads); a
  // large item ahead of small ones (one 1200×600 QR and 28 smaller) now
  // runs free instead of leaving a thread idle once the small ones end.
  const double weight = running_weight;
  const int others = arena_threads - 1;
  if (others <= 0) return 1;
  std::lock_guard<std::mutex> lock(mutex_);
  const int mine = stats_.running + stats_.queued;
  const int outside = std::max(0, scheduler::Pending() - mine);
  const double beside = pending_weight_ - weight + incoming_weight_ + outside * weight;
  const bool fills = beside >= weight * others * (1 - 1e-9) && (concurrency_ - 1) + outside >= others;
  return fills ? 1 : 0;
}

int Pool::MemberThreads(int arena_threads, bool on_caller) {
  NoteThreads();
  switch (mode_) {
    case Mode::kSerialInner:
      return 1;
    case Mode::kStatic:
      return std::max(1, arena_threads / concurrency_);
    default:
      return scheduler::Saturated() ? 1 : on_caller ? arena_threads : 0;
  }
}

void Pool::NoteThreads() {
  const int active = scheduler::ActiveThreads();
  std::lock_guard<std::mutex> lock(mutex_);
  stats_.peak_threads = std::max(stats_.peak_threads, active);
}

Pool::Stats Pool::GetStats() {
  std::lock_guard<std::mutex> lock(mutex_);
  return stats_;
}

namespace {
using Handle = std::shared_ptr<Pool>;
constexpr napi_type_tag kPoolTag = {0x77656674706f6f6cULL, 0x68616e646c653031ULL};
constexpr napi_type_tag kMemberTag = {0x77656674706f6f6cULL, 0x6d656d6265723031ULL};

Napi::Value Wrap(Napi::Env env, std::shared_ptr<Pool> pool, const napi_type_tag& tag) {
  auto* handle = new Handle(std::move(pool));
  auto external = Napi::External<Handle>::New(env, handle, [](Napi::Env, Handle* h) { delete h; });
  NAPI_THROW_IF_FAILED(env, napi_type_tag_object(env, external, &tag), Napi::Value());
  return external;
}
}  // namespace

Napi::Value Pool::New(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int concurrency = info[0].IsNumber() ? info[0].As<Napi::Number>().Int32Value() : 0;
  const std::string mode = info[1].IsString() ? info[1].As<Napi::String>().Utf8Value() : "";
  const Mode modes[] = {Mode::kComposable, Mode::kStatic, Mode::kSerialInner};
  const char* names[] = {"composable", "static", "serial-inner"};
  int chosen = -1;
  for (int i = 0; i < 3; ++i) {
    if (mode == names[i]) chosen = i;
  }
  if (concurrency < 1 || chosen < 0) {
    throw Napi::RangeError::New(env, "weft: newPool(concurrency >= 1, 'composable' | 'static' | 'serial-inner')");
  }
  return Wrap(env, std::make_shared<Pool>(concurrency, modes[chosen]), kPoolTag);
}

std::shared_ptr<Pool> Pool::FromValue(Napi::Value value, bool* member) {
  if (!value.IsExternal()) return nullptr;
  bool pool = false;
  bool of_item = false;
  napi_check_object_type_tag(value.Env(), value, &kPoolTag, &pool);
  if (!pool) napi_check_object_type_tag(value.Env(), value, &kMemberTag, &of_item);
  if (!pool && !of_item) throw Napi::TypeError::New(value.Env(), "weft: not a pool handle");
  // Only a caller that can run a function item's call takes the member handle.
  if (of_item && member == nullptr) throw Napi::TypeError::New(value.Env(), "weft: expected the pool's own handle");
  if (member != nullptr) *member = of_item;
  return *value.As<Napi::External<Handle>>().Data();
}

Napi::Value Pool::MemberOf(const Napi::CallbackInfo& info) {
  std::shared_ptr<Pool> pool = FromValue(info[0]);
  if (pool == nullptr) throw Napi::TypeError::New(info.Env(), "weft: poolMember(handle)");
  return Wrap(info.Env(), std::move(pool), kMemberTag);
}

Napi::Value Pool::TakeSlotOf(const Napi::CallbackInfo& info) {
  std::shared_ptr<Pool> pool = FromValue(info[0]);
  if (pool == nullptr) throw Napi::TypeError::New(info.Env(), "weft: poolTakeSlot(handle, waiting)");
  return Napi::Boolean::New(info.Env(), pool->TakeSlot(info[1].ToBoolean()));
}

Napi::Value Pool::EndItemOf(const Napi::CallbackInfo& info) {
  std::shared_ptr<Pool> pool = FromValue(info[0]);
  const int outcome = info[1].IsNumber() ? info[1].As<Napi::Number>().Int32Value() : -1;
  if (pool == nullptr || outcome < 0 || outcome > 2 || !info[2].IsNumber())
    throw Napi::TypeError::New(info.Env(), "weft: poolEndItem(handle, outcome 0-2, ms)");
  pool->EndItem(static_cast<Outcome>(outcome), info[2].As<Napi::Number>().DoubleValue());
  return info.Env().Undefined();
}

Napi::Value Pool::DropWaitingOf(const Napi::CallbackInfo& info) {
  std::shared_ptr<Pool> pool = FromValue(info[0]);
  if (pool == nullptr) throw Napi::TypeError::New(info.Env(), "weft: poolDropWaiting(handle)");
  pool->DropWaiting();
  return info.Env().Undefined();
}

Napi::Value Pool::ExpectOf(const Napi::CallbackInfo& info) {
  std::shared_ptr<Pool> pool = FromValue(info[0]);
  if (pool == nullptr || !info[1].IsNumber())
    throw Napi::TypeError::New(info.Env(), "weft: poolExpect(handle, weight)");
  pool->Expect(info[1].As<Napi::Number>().DoubleValue());
  return info.Env().Undefined();
}

Napi::Value Pool::WeightOf(const Napi::CallbackInfo& info) {
  std::shared_ptr<Pool> pool = FromValue(info[0]);
  if (pool == nullptr || !info[1].IsNumber())
    throw Napi::TypeError::New(info.Env(), "weft: poolWeight(handle, weight, announced)");
  pool->SetNextWeight(info[1].As<Napi::Number>().DoubleValue(), info[2].ToBoolean());
  return info.Env().Undefined();
}

Napi::Value Pool::StatsOf(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::shared_ptr<Pool> pool = FromValue(info[0]);
  if (pool == nullptr) throw Napi::TypeError::New(env, "weft: poolStats(handle)");
  const Stats s = pool->GetStats();
  Napi::Object out = Napi::Object::New(env);
  out.Set("submitted", static_cast<double>(s.submitted));
  out.Set("completed", static_cast<double>(s.completed));
  out.Set("failed", static_cast<double>(s.failed));
  out.Set("cancelled", static_cast<double>(s.cancelled));
  out.Set("queued", s.queued);
  out.Set("running", s.running);
  out.Set("busyMs", s.busy_ms);
  out.Set("peakThreads", s.peak_threads);
  return out;
}

}  // namespace weft
