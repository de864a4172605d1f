// The conformance suite against the fake: once with every test hook, and once declaring none,
// which is how the suite meets a real service (the hook-dependent tests are skipped, with reasons).
#include "conformance/backend_conformance.h"
#include "conformance/fake_backend_factory.h"

BITSH_INSTANTIATE_BACKEND_CONFORMANCE(Fake, std::make_shared<bitsh::conformance::FakeBackendFactory>());
BITSH_INSTANTIATE_BACKEND_CONFORMANCE(
    FakeWithoutTestHooks,
    std::make_shared<bitsh::conformance::FakeBackendFactory>("FakeWithoutTestHooks", std::set<bitsh::conformance::Capability>{}));
