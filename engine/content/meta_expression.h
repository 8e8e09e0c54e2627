// Meta rule expressions: boolean and counting formulas over other rules'
// hits, e.g. "URL_IP_HOST && (BODY_VERIFY || not SUBJ_OK)" or
// "count(A, B, C) >= 2" or "A + B + C > 1".
//
// Grammar (lowest precedence first):
//   or      := and { ("||" | "or") and }
//   and     := not { ("&&" | "and") not }
//   not     := ("!" | "not") not | compare
//   compare := sum [ (">=" | ">" | "<=" | "<" | "==" | "!=") sum ]
//   sum     := primary { "+" primary }
//   primary := NAME | NUMBER | "(" or ")" | "count" "(" NAME { "," NAME } ")"
// A NAME is 1 when that rule matched, else 0; a value is true when not 0.
//
// A MetaExpression is immutable once parsed and resolved; Evaluate is
// thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace portcullis::content {

class MetaExpression {
 public:
  // Security: rule files are operator-written, but an absurd expression
  // should be an error, not a deep recursion.
  static constexpr size_t kMaxLength = 4096;
  static constexpr int kMaxNesting = 64;

  // Nullopt with `error` set when `text` is not a valid expression.
  static std::optional<MetaExpression> Parse(std::string_view text, std::string* error);

  // Rule and meta names the expression reads, in order of appearance.
  const std::vector<std::string>& names() const { return names_; }
  // Maps names()[i] to a slot index for Evaluate; call once.
  void Resolve(const std::function<size_t(const std::string&)>& slot_of);
  // `values[slot]` is 1 for a rule that matched.
  bool Evaluate(const std::vector<uint8_t>& values) const;

 private:
  enum class OpKind : uint8_t {
    kName,
    kNumber,
    kAnd,
    kOr,
    kNot,
    kAdd,
    kCount,
    kGe,
    kGt,
    kLe,
    kLt,
    kEq,
    kNe,
  };
  struct Op {
    OpKind kind;
    int64_t operand;  // name index, number, or kCount's argument count
  };
  friend class MetaParser;

  std::vector<Op> program_;  // postfix
  std::vector<std::string> names_;
  std::vector<size_t> slots_;
};

}  // namespace portcullis::content
