#include "analyzers/internal/lexicon_trie.h"

#include <algorithm>
#include <cstring>
#include <iterator>

namespace divcheck {

ByteTrie::ByteTrie() : nodes_(1) {
  std::fill(std::begin(root_children_), std::end(root_children_), 0u);
}

uint32_t ByteTrie::BuildChild(uint32_t node, uint8_t byte) const {
  if (node == 0) return root_children_[byte];
  for (const auto& c : nodes_[node].children) {
    if (c.first == byte) return c.second;
  }
  return 0;
}

void ByteTrie::Insert(absl::string_view key, const TriePayload& payload) {
  uint32_t node = 0;
  for (char ch : key) {
    const uint8_t b = static_cast<uint8_t>(ch);
    uint32_t next = BuildChild(node, b);
    if (next == 0) {
      next = static_cast<uint32_t>(nodes_.size());
      nodes_.emplace_back();
      if (node == 0) {
        root_children_[b] = next;
      } else {
        auto& children = nodes_[node].children;
        auto it = std::lower_bound(children.begin(), children.end(), b,
                                   [](const std::pair<uint8_t, uint32_t>& c,
                                      uint8_t v) { return c.first < v; });
        children.insert(it, {b, next});
      }
    }
    node = next;
  }
  nodes_[node].payloads.push_back(payload);
}

void ByteTrie::Freeze() {
  // A chain starts at a node with one child and no payload and runs while
  // that holds; it ends at the node it leads to.
  auto is_link = [&](uint32_t n) {
    return nodes_[n].payloads.empty() && nodes_[n].children.size() == 1;
  };
  struct Unit {
    uint32_t head;  // build node the parent's edge points to
    uint32_t tail;  // build node whose run holds the edges and payloads
    std::string label;
  };
  // Breadth-first over the units; the root's children are the first level
  // (the root itself keeps its 256-entry table).
  std::vector<Unit> units;
  units.reserve(nodes_.size());
  auto add_unit = [&](uint32_t head) {
    Unit u{head, head, {}};
    while (is_link(u.tail) && u.label.size() < 0xFFFF) {
      u.label.push_back(static_cast<char>(nodes_[u.tail].children[0].first));
      u.tail = nodes_[u.tail].children[0].second;
    }
    units.push_back(std::move(u));
  };
  for (int b = 0; b < 256; ++b) {
    if (root_children_[b] != 0) add_unit(root_children_[b]);
  }
  for (size_t i = 0; i < units.size(); ++i) {
    const uint32_t tail = units[i].tail;
    for (const auto& c : nodes_[tail].children) add_unit(c.second);
  }
  std::vector<uint32_t> offset(nodes_.size(), 0);  // head → its run
  uint32_t next = 1;  // data_[0] is the placeholder
  for (size_t i = 0; i < units.size(); ++i) {
    const Unit& u = units[i];
    const uint32_t chain_words =
        u.label.empty() ? 0 : 2 + static_cast<uint32_t>(u.label.size() + 3) / 4;
    offset[u.head] = next;
    next +=
        chain_words + 2 + static_cast<uint32_t>(nodes_[u.tail].children.size());
  }
  data_.assign(next, 0);
  payloads_.clear();
  for (const Unit& u : units) {
    uint32_t* rec = data_.data() + offset[u.head];
    if (!u.label.empty()) {
      rec[0] = kChain | static_cast<uint32_t>(u.label.size());
      std::memcpy(rec + 2, u.label.data(), u.label.size());
      rec += 2 + (u.label.size() + 3) / 4;
    }
    const Node& node = nodes_[u.tail];
    rec[0] = static_cast<uint32_t>(node.children.size()) << 16 |
             static_cast<uint32_t>(node.payloads.size());
    rec[1] = static_cast<uint32_t>(payloads_.size());
    payloads_.insert(payloads_.end(), node.payloads.begin(),
                     node.payloads.end());
    for (size_t i = 0; i < node.children.size(); ++i) {
      rec[2 + i] = static_cast<uint32_t>(node.children[i].first) << 24 |
                   offset[node.children[i].second];
    }
  }
  for (int b = 0; b < 256; ++b) {
    if (root_children_[b] != 0) root_children_[b] = offset[root_children_[b]];
  }
  frozen_nodes_ = nodes_.size() - 1;
  nodes_.clear();
  nodes_.shrink_to_fit();
}

}  // namespace divcheck
