# Writes OUTPUT as a C++ source defining `extern const char SYMBOL[]` with the
# bytes of INPUT. Hex bytes rather than a raw string so any content is safe.
file(READ ${INPUT} content HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${content}")
file(WRITE ${OUTPUT}
  "// Generated from ${INPUT}; do not edit.\n"
  "extern const char ${SYMBOL}[];\n"
  "const char ${SYMBOL}[] = {${bytes} 0x00};\n")
