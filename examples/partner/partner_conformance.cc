// A partner runs the backend conformance suite against their own Backend. Here the "partner
// backend" is bits-harness's fake seen through a wrapper; a partner passes a factory for theirs.
#include <memory>

#include "backend/backend_wrapper.h"
#include "conformance/backend_conformance.h"
#include "conformance/fake_backend_factory.h"

BITSH_INSTANTIATE_BACKEND_CONFORMANCE(PartnerBackend,
                                      std::make_shared<bitsh::conformance::FakeBackendFactory>("PartnerBackend"));
