// The parts of nng (https://nng.nanomsg.org) that grpo-lambda's Protocol module uses.
// Debian's libnng-dev ships no pkg-config file, so the module map links libnng by name.
#include <nng/nng.h>
#include <nng/protocol/pipeline0/push.h>
#include <nng/protocol/pipeline0/pull.h>
#include <nng/protocol/reqrep0/req.h>
#include <nng/protocol/reqrep0/rep.h>
#include <nng/protocol/pubsub0/pub.h>
#include <nng/protocol/pubsub0/sub.h>
#include <nng/supplemental/tls/tls.h>
