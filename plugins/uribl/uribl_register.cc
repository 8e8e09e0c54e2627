// Registers the uribl check under its config name (check_registry.h).
#include "uribl_check.h"

PORTCULLIS_REGISTER_CHECK(uribl, portcullis::uribl::MakeUriblCheck);
