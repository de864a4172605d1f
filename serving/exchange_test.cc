// The hand-off between bitshd's HTTP threads and its machine thread, without HTTP: the test is
// the HTTP side (threads that Submit and Await) and the machine side (RunNext, Notify).
#include "serving/exchange.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>

namespace bitsh::serving {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

constexpr HResult kServerUnavailable = 0x800706BA;
constexpr HResult kRpcTimeout = 0x8001011F;

remote::Json Result(int n) { return remote::Json{{"hr", 0}, {"value", n}}; }

TEST(ExchangeTest, ACallRunsOnTheMachineThreadAndItsResultGoesToItsWaiter) {
  Exchange exchange;
  const std::uint64_t apartment = exchange.OpenApartment();
  const std::uint64_t call = exchange.Submit(apartment, [] { return Result(7); });
  auto answer = std::async(std::launch::async, [&] { return exchange.Await(apartment, call); });
  EXPECT_TRUE(exchange.RunNext(milliseconds(1000)));
  EXPECT_EQ(answer.get()["result"]["value"], 7);
  EXPECT_FALSE(exchange.RunNext(milliseconds(1))) << "nothing else was queued";
}

TEST(ExchangeTest, ANotificationAnswersTheApartmentsWaitingCallAndItsReplyEndsTheWait) {
  Exchange exchange;
  const std::uint64_t apartment = exchange.OpenApartment();
  const std::uint64_t call = exchange.Submit(apartment, [&] {
    const Status answered = exchange.Notify(apartment, {{"method", "JobTransferred"}}, Clock::now() + milliseconds(5000));
    return remote::StatusToJson(answered);
  });
  std::thread machine([&] { exchange.RunNext(milliseconds(1000)); });
  const remote::Json first = exchange.Await(apartment, call);
  ASSERT_TRUE(first.contains("notification")) << first.dump();
  EXPECT_EQ(first["call"], call);
  const auto notification = first["notification"]["id"].get<std::uint64_t>();
  ASSERT_TRUE(exchange.Reply(apartment, notification, Status(hr::kFail, "the client's callback failed")));
  const remote::Json second = exchange.Await(apartment, call);
  machine.join();
  EXPECT_EQ(second["result"]["hr"], hr::kFail) << "the event heard the callback's answer";
}

TEST(ExchangeTest, ACallbackThatDoesNotAnswerTimesOutAndALateReplyIsRefused) {
  Exchange exchange;
  const std::uint64_t apartment = exchange.OpenApartment();
  auto answered = std::async(std::launch::async, [&] {
    return exchange.Notify(apartment, {{"method", "JobError"}}, Clock::now() + milliseconds(200));
  });
  const remote::Json note = exchange.AwaitNotification(apartment, milliseconds(5000));
  ASSERT_TRUE(note.contains("notification")) << note.dump();
  const auto number = note["notification"]["id"].get<std::uint64_t>();
  EXPECT_EQ(answered.get().code(), kRpcTimeout) << "no reply came";
  EXPECT_FALSE(exchange.Reply(apartment, number, Status::Ok())) << "too late: the event counted it failed";
  EXPECT_FALSE(exchange.Reply(apartment, number + 1000, Status::Ok())) << "a number never handed out";
}

TEST(ExchangeTest, ANotificationNobodyTookIsWithdrawnAtItsTimeout) {
  Exchange exchange;
  const std::uint64_t apartment = exchange.OpenApartment();
  EXPECT_EQ(exchange.Notify(apartment, {{"method", "JobError"}}, Clock::now() + milliseconds(50)).code(), kRpcTimeout);
  const remote::Json later = exchange.AwaitNotification(apartment, milliseconds(0));
  EXPECT_TRUE(later.contains("result")) << "a later pump runs no stale callback: " << later.dump();
}

TEST(ExchangeTest, ACallbackOfAClosedApartmentFailsAsAServerThatIsGone) {
  Exchange exchange;
  const std::uint64_t apartment = exchange.OpenApartment();
  exchange.CloseApartment(apartment);
  EXPECT_EQ(exchange.Notify(apartment, {{"method", "JobTransferred"}}, Clock::now() + milliseconds(5000)).code(),
            kServerUnavailable);
}

TEST(ExchangeTest, WhileACallbackWaitsOtherClientsCallsRunButNotThoseThatNeedTheMachineAlone) {
  Exchange exchange;
  const std::uint64_t notified = exchange.OpenApartment();
  const std::uint64_t other = exchange.OpenApartment();
  std::atomic<bool> clock_call_ran{false};
  std::atomic<bool> plain_call_ran{false};
  // The other client's calls are queued before the notification goes out.
  const std::uint64_t clock_call = exchange.Submit(other, [&] {
    clock_call_ran = true;
    return Result(1);
  }, /*exclusive=*/true);
  const std::uint64_t plain_call = exchange.Submit(other, [&] {
    plain_call_ran = true;
    return Result(2);
  });
  std::thread client([&] {
    EXPECT_EQ(exchange.Await(other, plain_call)["result"]["value"], 2);
    EXPECT_FALSE(clock_call_ran) << "it waits for the notification's answer";
    // Now the notified client answers.
    const remote::Json note = exchange.AwaitNotification(notified, milliseconds(5000));
    ASSERT_TRUE(note.contains("notification"));
    exchange.Reply(notified, note["notification"]["id"].get<std::uint64_t>(), Status::Ok());
  });
  EXPECT_TRUE(exchange.Notify(notified, {{"method", "JobTransferred"}}, Clock::now() + milliseconds(5000)).ok());
  client.join();
  EXPECT_TRUE(plain_call_ran);
  EXPECT_FALSE(clock_call_ran);
  EXPECT_TRUE(exchange.RunNext(milliseconds(1)));  // after the notification: its turn
  EXPECT_TRUE(clock_call_ran);
  static_cast<void>(clock_call);
}

TEST(ExchangeTest, TheNotifiedClientsOwnClockCallQueuedBeforeTheNotificationWaitsItsTurn) {
  Exchange exchange;
  const std::uint64_t notified = exchange.OpenApartment();
  std::atomic<bool> clock_call_ran{false};
  // Queued before the notification (another client's clock call is running the event): not a
  // call from the callback, so it is not run inside the event.
  exchange.Submit(notified, [&] {
    clock_call_ran = true;
    return Result(1);
  }, /*exclusive=*/true);
  std::thread client([&] {
    const remote::Json note = exchange.AwaitNotification(notified, milliseconds(5000));
    ASSERT_TRUE(note.contains("notification"));
    std::this_thread::sleep_for(milliseconds(50));
    exchange.Reply(notified, note["notification"]["id"].get<std::uint64_t>(), Status::Ok());
  });
  EXPECT_TRUE(exchange.Notify(notified, {{"method", "JobTransferred"}}, Clock::now() + milliseconds(5000)).ok());
  client.join();
  EXPECT_FALSE(clock_call_ran);
  EXPECT_TRUE(exchange.RunNext(milliseconds(1)));
  EXPECT_TRUE(clock_call_ran);
}

TEST(ExchangeTest, AStopFailsAWaitingCallbackAtOnce) {
  Exchange exchange;
  const std::uint64_t apartment = exchange.OpenApartment();
  std::thread stopper([&] {
    std::this_thread::sleep_for(milliseconds(50));
    exchange.BeginStop();
  });
  const auto start = Clock::now();
  EXPECT_EQ(exchange.Notify(apartment, {{"method", "JobTransferred"}}, Clock::now() + milliseconds(30'000)).code(),
            kServerUnavailable);
  EXPECT_LT(Clock::now() - start, milliseconds(10'000)) << "not the callback timeout";
  stopper.join();
  EXPECT_FALSE(exchange.RunNext(milliseconds(1)));
}

}  // namespace
}  // namespace bitsh::serving
