// Registers the dnsbl check under its config name (check_registry.h).
#include "dnsbl_check.h"

PORTCULLIS_REGISTER_CHECK(dnsbl, portcullis::dnsbl::MakeDnsblCheck);
