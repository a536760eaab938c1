// describe_throws.cpp - a plugin whose definition throws: the entry function
// must still return (a descriptor without a name), carrying the message.
#include <seam/plugin.hpp>

#include <stdexcept>

SEAM_PLUGIN(plugin) {
  plugin.info("describe_throws", "1.0.0", "Throws while describing itself");
  throw std::runtime_error("SEAM_WIDGET_HOME is not set");
}
