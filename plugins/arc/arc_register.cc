// Registers the arc check under its config name (check_registry.h).
#include "arc_check.h"

PORTCULLIS_REGISTER_CHECK(arc, portcullis::arc::MakeArcCheck);
