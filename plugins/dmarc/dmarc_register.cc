// Registers the dmarc check under its config name (check_registry.h).
#include "dmarc_check.h"

PORTCULLIS_REGISTER_CHECK(dmarc, portcullis::dmarc::MakeDmarcCheck);
