// Registers the bare_lf check under its config name (check_registry.h).
#include "bare_lf_check.h"

PORTCULLIS_REGISTER_CHECK(bare_lf, portcullis::bare_lf::MakeBareLfCheck);
