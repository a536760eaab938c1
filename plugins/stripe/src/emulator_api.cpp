// emulator_api.cpp - see emulator_api.hpp: requests in general (the API key,
// idempotency, routing, lists, expand, events). The payment objects' own
// behaviour is in emulator_payments.cpp.
#include "emulator_api.hpp"

#include "emulator_params.hpp"
#include "signature.hpp"

#include <algorithm>
#include <chrono>

namespace seam_stripe {

namespace {

std::vector<std::string> split_path(const std::string &path) {
  std::vector<std::string> out;
  size_t pos = 1;
  while (pos <= path.size()) {
    size_t slash = path.find('/', pos);
    std::string seg =
        path.substr(pos, slash == std::string::npos ? std::string::npos : slash - pos);
    if (!seg.empty())
      out.push_back(seg);
    if (slash == std::string::npos)
      break;
    pos = slash + 1;
  }
  return out;
}

// The object type of an id ("pi_..." -> payment_intent), for expand.
std::string type_of(const std::string &id) {
  static const std::vector<std::pair<std::string, std::string>> prefixes = {
      {"pi_", "payment_intent"}, {"ch_", "charge"}, {"cus_", "customer"},
      {"pm_", "payment_method"}, {"re_", "refund"}, {"evt_", "event"}};
  for (const auto &[prefix, type] : prefixes)
    if (id.rfind(prefix, 0) == 0)
      return type;
  return "";
}

// Which object type each collection path holds.
const std::map<std::string, std::string> &collections() {
  static const std::map<std::string, std::string> c = {
      {"customers", "customer"}, {"payment_intents", "payment_intent"}, {"charges", "charge"},
      {"refunds", "refund"},     {"payment_methods", "payment_method"}, {"events", "event"}};
  return c;
}

std::string describe(const std::string &type) {
  std::string out = type;
  std::replace(out.begin(), out.end(), '_', ' ');
  return out;
}

} // namespace

stripe_api::stripe_api(std::function<void(const json &event)> on_event)
    : on_event_(std::move(on_event)), random_(std::random_device{}()) {}

std::string stripe_api::new_id(const std::string &prefix) {
  static const char alphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  std::string id = prefix + "_";
  for (int i = 0; i < 24; ++i)
    id += alphabet[random_() % (sizeof alphabet - 1)];
  return id;
}

std::vector<json> stripe_api::events() const {
  std::lock_guard lock(mutex_);
  return events_;
}

api_response stripe_api::handle(const api_request &request) {
  std::vector<json> recorded;
  api_response response;
  {
    std::lock_guard lock(mutex_);
    request_id_ = new_id("req");
    current_ = &request;
    response = route(request, recorded);
    current_ = nullptr;
    response.headers["Request-Id"] = request_id_;
    if (!request.stripe_version.empty())
      response.headers["Stripe-Version"] = request.stripe_version;
  }
  if (on_event_)
    for (const auto &e : recorded)
      on_event_(e);
  return response;
}

api_response stripe_api::route(const api_request &request, std::vector<json> &events) {
  // The API key: any test key works; anything else is refused as Stripe does.
  const std::string &auth = request.authorization;
  std::string key = auth.rfind("Bearer ", 0) == 0 ? auth.substr(7) : "";
  if (key.empty()) {
    return {401,
            {{"error",
              {{"type", "invalid_request_error"},
               {"message", "You did not provide an API key. You need to provide your API key in "
                           "the Authorization header, using Bearer auth (e.g. 'Authorization: "
                           "Bearer YOUR_SECRET_KEY')."}}}},
            {}};
  }
  if (key.rfind("sk_test_", 0) != 0 && key.rfind("rk_test_", 0) != 0) {
    // Never the key itself: only its kind, so that no report shows it.
    std::string kind = key.substr(0, std::min<size_t>(key.find('_', 3) + 1, 8));
    return {401,
            {{"error",
              {{"type", "invalid_request_error"},
               {"code", "api_key_invalid"},
               {"message", "Invalid API Key provided: " + kind +
                               "****; the emulator takes test keys (sk_test_...) only"}}}},
            {}};
  }

  // Idempotency: POSTs with a key replay their first result when the
  // parameters match, and are refused when they do not.
  std::string idem;
  if (request.method == "POST" && !request.idempotency_key.empty()) {
    idem = key + '\n' + request.idempotency_key;
    if (auto it = idempotent_.find(idem); it != idempotent_.end()) {
      const auto &first = it->second;
      if (first.method != request.method || first.path != request.path ||
          first.params != request.params) {
        return {400,
                {{"error",
                  {{"type", "idempotency_error"},
                   {"message", "Keys for idempotent requests can only be used with the same "
                               "parameters they were first used with. Try using a key other "
                               "than '" +
                                   request.idempotency_key +
                                   "' if you meant to execute a different request."}}}},
                {}};
      }
      api_response replay = first.response;
      replay.headers["Idempotent-Replayed"] = "true";
      replay.headers["Original-Request"] = first.response.headers.at("Original-Request");
      return replay;
    }
  }

  api_response response;
  try {
    auto seg = split_path(request.path);
    if (seg.size() < 2 || seg[0] != "v1" || !collections().count(seg[1]))
      throw invalid_request("Unrecognized request URL (" + request.method + ": " + request.path +
                                "). Please see https://stripe.com/docs or we can help at "
                                "https://support.stripe.com/.",
                            "", "", 404);
    const std::string &collection = seg[1];
    const std::string &type = collections().at(collection);
    const json &p = request.params;
    std::string url = "/v1/" + collection;
    const std::string &m = request.method;
    json body;
    if (seg.size() == 2 && m == "GET") {
      std::function<bool(const json &)> keep = [](const json &) { return true; };
      std::string filter_field, filter;
      for (const char *f : {"customer", "payment_intent", "charge", "type"})
        if (auto v = string_param(p, f)) {
          filter_field = f;
          filter = *v;
        }
      if (!filter_field.empty())
        keep = [&](const json &o) { return o.value(filter_field, json()) == filter; };
      body = list(type, p, url, keep);
    } else if (seg.size() == 2 && m == "POST") {
      if (type == "customer")
        body = create_customer(p, events);
      else if (type == "payment_intent")
        body = create_intent(p, events);
      else if (type == "refund")
        body = create_refund(p, events);
      else if (type == "payment_method")
        body = payment_method(string_param(p, "card[token]").value_or("pm_card_visa"), "card");
      else
        throw invalid_request("Unrecognized request URL (POST: " + request.path + ").", "", "",
                              404);
    } else if (seg.size() >= 3) {
      json &obj = type == "payment_method" ? payment_method(seg[2], "id") : object(type, seg[2]);
      std::string action = seg.size() >= 4 ? seg[3] : "";
      if (seg.size() > 4)
        throw invalid_request("Unrecognized request URL (" + m + ": " + request.path + ").", "", "",
                              404);
      if (action.empty() && m == "GET") {
        body = obj;
      } else if (action.empty() && m == "POST" && type == "customer") {
        body = update_customer(obj, p, events);
      } else if (action.empty() && m == "POST" && type == "payment_intent") {
        body = update_intent(obj, p, events);
      } else if (action.empty() && m == "DELETE" && type == "customer") {
        obj["deleted"] = true;
        event(events, "customer.deleted", obj);
        body = {{"id", obj["id"]}, {"object", "customer"}, {"deleted", true}};
      } else if (type == "payment_intent" && m == "POST" && action == "confirm") {
        body = confirm_intent(obj, p, events);
      } else if (type == "payment_intent" && m == "POST" && action == "capture") {
        body = capture_intent(obj, p, events);
      } else if (type == "payment_intent" && m == "POST" && action == "cancel") {
        body = cancel_intent(obj, p, events);
      } else if (type == "payment_method" && m == "POST" && action == "attach") {
        body = attach(obj, p, events);
      } else if (type == "payment_method" && m == "POST" && action == "detach") {
        obj["customer"] = nullptr;
        event(events, "payment_method.detached", obj);
        body = obj;
      } else if (type == "customer" && m == "GET" && action == "payment_methods") {
        std::string id = obj["id"];
        body = list("payment_method", p, request.path,
                    [&](const json &o) { return o.value("customer", json()) == id; });
      } else {
        throw invalid_request("Unrecognized request URL (" + m + ": " + request.path + ").", "", "",
                              404);
      }
    } else {
      throw invalid_request("Unrecognized request URL (" + m + ": " + request.path + ").", "", "",
                            404);
    }
    response.body = expand(std::move(body), p);
  } catch (const api_error &e) {
    response.status = e.status;
    response.body = {{"error", e.error}};
    response.body["error"]["request_log_url"] =
        "https://dashboard.stripe.com/test/logs/" + request_id_;
    // A declined card did change things (a failed charge, the intent's
    // last_payment_error) and their events stand; other errors changed nothing.
    if (e.status != 402)
      events.clear();
  }
  if (!idem.empty() && (response.status == 200 || response.status == 402)) {
    response.headers["Original-Request"] = request_id_;
    idempotent_[idem] = {request.method, request.path, request.params, response};
  }
  return response;
}

json &stripe_api::object(const std::string &type, const std::string &id, const char *param) {
  auto it = objects_.find(id);
  if (it == objects_.end() || it->second.value("object", "") != type)
    throw invalid_request("No such " + describe(type) + ": '" + id + "'", param, "resource_missing",
                          404);
  return it->second;
}

json &stripe_api::store(json obj) {
  std::string id = obj["id"];
  std::string type = obj["object"];
  obj["livemode"] = false;
  if (!obj.contains("created"))
    obj["created"] = unix_now();
  order_[type].push_back(id);
  return objects_[id] = std::move(obj);
}

json stripe_api::list(const std::string &type, const json &params, const std::string &url,
                      const std::function<bool(const json &)> &keep) {
  int64_t limit = int_param(params, "limit").value_or(10);
  if (limit < 1 || limit > 100)
    throw invalid_request("This value must be between 1 and 100 (it currently is " +
                              std::to_string(limit) + ").",
                          "limit");
  auto after = string_param(params, "starting_after");
  auto before = string_param(params, "ending_before");
  // Newest first, as Stripe lists.
  std::vector<const json *> all;
  const auto &ids = type == "event" ? std::vector<std::string>() : order_[type];
  if (type == "event") {
    for (auto it = events_.rbegin(); it != events_.rend(); ++it)
      if (keep(*it))
        all.push_back(&*it);
  } else {
    for (auto it = ids.rbegin(); it != ids.rend(); ++it) {
      const json &o = objects_.at(*it);
      if (!o.value("deleted", false) && keep(o))
        all.push_back(&o);
    }
  }
  size_t begin = 0, end = all.size();
  auto position = [&](const std::string &id, const char *param) {
    for (size_t i = 0; i < all.size(); ++i)
      if ((*all[i])["id"] == id)
        return i;
    throw invalid_request("No such " + describe(type) + ": '" + id + "'", param, "resource_missing",
                          404);
  };
  json data = json::array();
  bool has_more;
  if (after) {
    begin = position(*after, "starting_after") + 1;
    end = std::min(all.size(), begin + static_cast<size_t>(limit));
    has_more = end < all.size();
  } else if (before) {
    end = position(*before, "ending_before");
    begin = end > static_cast<size_t>(limit) ? end - limit : 0;
    has_more = begin > 0;
  } else {
    end = std::min(all.size(), static_cast<size_t>(limit));
    has_more = end < all.size();
  }
  for (size_t i = begin; i < end; ++i)
    data.push_back(*all[i]);
  return {{"object", "list"}, {"data", std::move(data)}, {"has_more", has_more}, {"url", url}};
}

json stripe_api::expand(json obj, const json &params) {
  auto it = params.find("expand");
  if (it == params.end())
    return obj;
  if (!it->is_array())
    throw invalid_request("Invalid array", "expand");
  for (const auto &e : *it) {
    std::string path = e.is_string() ? e.get<std::string>() : "";
    bool in_list = obj.value("object", "") == "list";
    if (in_list) {
      if (path.rfind("data.", 0) != 0)
        throw invalid_request("This property cannot be expanded (" + path +
                                  "). You may want to try expanding 'data." + path + "' instead.",
                              "expand");
      path = path.substr(5);
    }
    auto expand_one = [&](json &o) {
      auto field = o.find(path);
      if (field == o.end())
        throw invalid_request("This property cannot be expanded (" + path + ").", "expand");
      if (field->is_string()) {
        std::string id = *field;
        auto found = objects_.find(id);
        if (found != objects_.end() && found->second.value("object", "") == type_of(id))
          *field = found->second;
      }
    };
    if (in_list)
      for (auto &o : obj["data"])
        expand_one(o);
    else
      expand_one(obj);
  }
  return obj;
}

void stripe_api::event(std::vector<json> &events, const std::string &type, const json &obj,
                       const json &previous) {
  json data = {{"object", obj}};
  if (!previous.is_null())
    data["previous_attributes"] = previous;
  json e = {{"id", new_id("evt")},
            {"object", "event"},
            {"api_version", current_ && !current_->stripe_version.empty()
                                ? current_->stripe_version
                                : std::string("2024-06-20")},
            {"created", unix_now()},
            {"data", std::move(data)},
            {"livemode", false},
            {"pending_webhooks", webhook_endpoints_},
            {"request",
             {{"id", request_id_},
              {"idempotency_key", current_ && !current_->idempotency_key.empty()
                                      ? json(current_->idempotency_key)
                                      : json(nullptr)}}},
            {"type", type}};
  events_.push_back(e);
  events.push_back(std::move(e));
}

} // namespace seam_stripe
