// Registers the iprev check under its config name (check_registry.h).
#include "iprev_check.h"

PORTCULLIS_REGISTER_CHECK(iprev, portcullis::iprev::MakeIprevCheck);
