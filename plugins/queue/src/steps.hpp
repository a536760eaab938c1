// steps.hpp - the queue.* steps and the resource they work on, in terms of
// the driver interface only (so every broker gets the same steps).
#ifndef SEAM_QUEUE_STEPS_HPP
#define SEAM_QUEUE_STEPS_HPP

#include "driver.hpp"

#include <memory>
#include <string>

namespace seam::queue {

// A [resources.NAME] table with plugin = "queue".
struct bus {
  std::string name;
  std::unique_ptr<driver> broker;
};

std::unique_ptr<bus> open_bus(const std::string &name, const json &config,
                              const seam::context &ctx);

seam::json_text publish_step(bus &b, seam::json_view in, seam::context &ctx);
seam::json_text consume_step(bus &b, const json &in, seam::context &ctx);
json purge_step(bus &b, const json &in, seam::context &ctx);
json depth_step(bus &b, const json &in, seam::context &ctx);
json declare_step(bus &b, const json &in, seam::context &ctx);
json delete_step(bus &b, const json &in, seam::context &ctx);

} // namespace seam::queue

#endif // SEAM_QUEUE_STEPS_HPP
