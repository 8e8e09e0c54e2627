// Registers the dkim check under its config name (check_registry.h).
#include "dkim_check.h"

PORTCULLIS_REGISTER_CHECK(dkim, portcullis::dkim::MakeDkimCheck);
