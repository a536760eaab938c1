// statement_cache.hpp - a bounded least-recently-used map from SQL text to a
// backend's prepared statement. Evicted entries are handed to a callback so
// the backend can free them (sqlite3_finalize, DEALLOCATE).
#ifndef SEAM_SQL_STATEMENT_CACHE_HPP
#define SEAM_SQL_STATEMENT_CACHE_HPP

#include <functional>
#include <list>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace seam::sql {

template <class T> class statement_cache {
public:
  using release_fn = std::function<void(T &)>;

  statement_cache(size_t capacity, release_fn release)
      : capacity_(capacity), release_(std::move(release)) {}
  statement_cache(const statement_cache &) = delete;
  statement_cache &operator=(const statement_cache &) = delete;
  ~statement_cache() { clear(); }

  // The cached entry for `sql`, marked most recently used; nullptr if none.
  T *find(std::string_view sql) {
    auto it = index_.find(sql);
    if (it == index_.end())
      return nullptr;
    order_.splice(order_.begin(), order_, it->second);
    return &it->second->second;
  }

  // Caches `value` for `sql` and returns it. The newest entry always stays,
  // since its caller is about to use it: capacity 0 keeps just that one.
  T &insert(std::string_view sql, T value) {
    order_.emplace_front(std::string(sql), std::move(value));
    index_.insert_or_assign(order_.front().first, order_.begin());
    while (order_.size() > capacity_ && order_.size() > 1)
      evict_last();
    return order_.front().second;
  }

  void erase(std::string_view sql) {
    auto it = index_.find(sql);
    if (it == index_.end())
      return;
    release_(it->second->second);
    order_.erase(it->second);
    index_.erase(it);
  }

  void clear() {
    while (!order_.empty())
      evict_last();
  }

  size_t size() const { return order_.size(); }

private:
  void evict_last() {
    auto &back = order_.back();
    release_(back.second);
    index_.erase(back.first);
    order_.pop_back();
  }

  size_t capacity_;
  release_fn release_;
  std::list<std::pair<std::string, T>> order_;
  // Looked up by std::string_view, without a copy of the text.
  struct text_hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, typename std::list<std::pair<std::string, T>>::iterator,
                     text_hash, std::equal_to<>>
      index_;
};

} // namespace seam::sql

#endif
