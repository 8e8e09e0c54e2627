// Registers the greylist check under its config name (check_registry.h).
#include "greylist_check.h"

PORTCULLIS_REGISTER_STATEFUL_CHECK(greylist, portcullis::greylist::MakeGreylistCheck);
