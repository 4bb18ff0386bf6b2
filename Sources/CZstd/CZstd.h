// zstd (https://facebook.github.io/zstd/).
#include <zstd.h>
