#include "content/meta_expression.h"

#include <cctype>

namespace portcullis::content {

// Recursive descent over the grammar in the header, emitting postfix ops.
class MetaParser {
 public:
  MetaParser(std::string_view text, MetaExpression* out) : text_(text), out_(out) {}

  bool Run(std::string* error) {
    if (!Or(0)) {
      *error = error_;
      return false;
    }
    SkipSpace();
    if (pos_ != text_.size()) {
      *error = "unexpected '" + std::string(text_.substr(pos_, 10)) + "' at column " +
               std::to_string(pos_ + 1);
      return false;
    }
    return true;
  }

 private:
  using OpKind = MetaExpression::OpKind;

  void SkipSpace() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }
  static bool IsNameChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }
  // The next word (letters, digits, '_') without consuming it.
  std::string_view PeekWord() {
    SkipSpace();
    size_t end = pos_;
    while (end < text_.size() && IsNameChar(text_[end])) ++end;
    return text_.substr(pos_, end - pos_);
  }
  bool Accept(std::string_view token) {
    SkipSpace();
    if (text_.substr(pos_, token.size()) != token) return false;
    // Word operators must end at a word boundary ("order" is not "or").
    if (IsNameChar(token.back()) && pos_ + token.size() < text_.size() &&
        IsNameChar(text_[pos_ + token.size()])) {
      return false;
    }
    pos_ += token.size();
    return true;
  }
  bool Fail(const std::string& message) {
    if (error_.empty()) error_ = message + " at column " + std::to_string(pos_ + 1);
    return false;
  }
  void Emit(OpKind kind, int64_t operand = 0) { out_->program_.push_back({kind, operand}); }

  bool Or(int depth) {
    if (depth > MetaExpression::kMaxNesting) return Fail("expression nested too deeply");
    if (!And(depth)) return false;
    while (Accept("||") || Accept("or")) {
      if (!And(depth)) return false;
      Emit(OpKind::kOr);
    }
    return true;
  }
  bool And(int depth) {
    if (!Not(depth)) return false;
    while (Accept("&&") || Accept("and")) {
      if (!Not(depth)) return false;
      Emit(OpKind::kAnd);
    }
    return true;
  }
  bool Not(int depth) {
    if (depth > MetaExpression::kMaxNesting) return Fail("expression nested too deeply");
    SkipSpace();
    if ((pos_ < text_.size() && text_[pos_] == '!' &&
         (pos_ + 1 >= text_.size() || text_[pos_ + 1] != '='))) {
      ++pos_;
      if (!Not(depth + 1)) return false;
      Emit(OpKind::kNot);
      return true;
    }
    if (Accept("not")) {
      if (!Not(depth + 1)) return false;
      Emit(OpKind::kNot);
      return true;
    }
    return Compare(depth);
  }
  bool Compare(int depth) {
    if (!Sum(depth)) return false;
    static const std::pair<std::string_view, OpKind> kOps[] = {
        {">=", OpKind::kGe}, {"<=", OpKind::kLe}, {"==", OpKind::kEq},
        {"!=", OpKind::kNe}, {">", OpKind::kGt},  {"<", OpKind::kLt}};
    for (const auto& [token, kind] : kOps) {
      if (Accept(token)) {
        if (!Sum(depth)) return false;
        Emit(kind);
        return true;
      }
    }
    return true;
  }
  bool Sum(int depth) {
    if (!Primary(depth)) return false;
    while (Accept("+")) {
      if (!Primary(depth)) return false;
      Emit(OpKind::kAdd);
    }
    return true;
  }
  bool Name() {
    std::string_view word = PeekWord();
    if (word.empty() || std::isdigit(static_cast<unsigned char>(word[0]))) {
      return Fail("expected a rule name");
    }
    for (char c : word) {
      if (std::islower(static_cast<unsigned char>(c))) {
        return Fail("rule names are upper case, got '" + std::string(word) + "'");
      }
    }
    pos_ += word.size();
    out_->names_.emplace_back(word);
    Emit(OpKind::kName, static_cast<int64_t>(out_->names_.size() - 1));
    return true;
  }
  bool Primary(int depth) {
    SkipSpace();
    if (pos_ >= text_.size()) return Fail("unexpected end of expression");
    if (Accept("(")) {
      if (!Or(depth + 1)) return false;
      if (!Accept(")")) return Fail("expected ')'");
      return true;
    }
    std::string_view word = PeekWord();
    if (word.empty()) return Fail("unexpected '" + std::string(1, text_[pos_]) + "'");
    if (std::isdigit(static_cast<unsigned char>(word[0]))) {
      int64_t number = 0;
      for (char c : word) {
        if (!std::isdigit(static_cast<unsigned char>(c)) || number > 1000000) {
          return Fail("bad number '" + std::string(word) + "'");
        }
        number = number * 10 + (c - '0');
      }
      pos_ += word.size();
      Emit(OpKind::kNumber, number);
      return true;
    }
    if (word == "count") {
      pos_ += word.size();
      if (!Accept("(")) return Fail("expected '(' after count");
      int64_t arguments = 0;
      do {
        if (!Name()) return false;
        ++arguments;
      } while (Accept(","));
      if (!Accept(")")) return Fail("expected ')' or ',' in count()");
      Emit(OpKind::kCount, arguments);
      return true;
    }
    if (word == "and" || word == "or" || word == "not") {
      return Fail("unexpected '" + std::string(word) + "'");
    }
    return Name();
  }

  std::string_view text_;
  size_t pos_ = 0;
  MetaExpression* out_;
  std::string error_;
};

std::optional<MetaExpression> MetaExpression::Parse(std::string_view text, std::string* error) {
  if (text.size() > kMaxLength) {
    *error = "expression longer than " + std::to_string(kMaxLength) + " bytes";
    return std::nullopt;
  }
  MetaExpression expression;
  MetaParser parser(text, &expression);
  if (!parser.Run(error)) return std::nullopt;
  return expression;
}

void MetaExpression::Resolve(const std::function<size_t(const std::string&)>& slot_of) {
  slots_.clear();
  for (const std::string& name : names_) slots_.push_back(slot_of(name));
}

bool MetaExpression::Evaluate(const std::vector<uint8_t>& values) const {
  // Postfix evaluation; the stack never exceeds the program length.
  int64_t stack[256];
  std::vector<int64_t> big;
  int64_t* top = stack;
  if (program_.size() > 256) {
    big.resize(program_.size());
    top = big.data();
  }
  int64_t* base = top;
  for (const Op& op : program_) {
    switch (op.kind) {
      case OpKind::kName: *top++ = values[slots_[static_cast<size_t>(op.operand)]] ? 1 : 0; break;
      case OpKind::kNumber: *top++ = op.operand; break;
      case OpKind::kNot: top[-1] = top[-1] == 0 ? 1 : 0; break;
      case OpKind::kCount: {
        // The arguments were pushed as names (0/1): their sum is the count.
        int64_t sum = 0;
        for (int64_t i = 0; i < op.operand; ++i) sum += *--top;
        *top++ = sum;
        break;
      }
      default: {
        int64_t right = *--top;
        int64_t left = top[-1];
        int64_t result = 0;
        switch (op.kind) {
          case OpKind::kAnd: result = (left != 0 && right != 0); break;
          case OpKind::kOr: result = (left != 0 || right != 0); break;
          case OpKind::kAdd: result = left + right; break;
          case OpKind::kGe: result = left >= right; break;
          case OpKind::kGt: result = left > right; break;
          case OpKind::kLe: result = left <= right; break;
          case OpKind::kLt: result = left < right; break;
          case OpKind::kEq: result = left == right; break;
          case OpKind::kNe: result = left != right; break;
          default: break;
        }
        top[-1] = result;
        break;
      }
    }
  }
  return top > base && top[-1] != 0;
}

}  // namespace portcullis::content
