// Registers the spf check under its config name (check_registry.h).
#include "spf_check.h"

PORTCULLIS_REGISTER_CHECK(spf, portcullis::spf::MakeSpfCheck);
