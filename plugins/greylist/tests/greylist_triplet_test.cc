#include "greylist_triplet.h"

#include <gtest/gtest.h>

#include "greylist_keys.h"

namespace portcullis::greylist {
namespace {

TEST(GreylistTriplet, NormalisesSendersWithDefaults) {
  struct Case {
    const char* sender;
    const char* want;
  } cases[] = {
      {"", "<>"},
      {"<>", "<>"},
      {"Alice@Example.ORG", "alice@example.org"},
      // BATV: the draft's prvs, Microsoft's msprvs1, Barracuda's btv1.
      {"prvs=1234abcdef=bounce@example.org", "bounce@example.org"},
      {"PRVS=0123ABCDEF=Bounce@Example.org", "bounce@example.org"},
      {"msprvs1=17920ZiLDUTn9=bounces@example.org", "bounces@example.org"},
      {"btv1==0123456789a==user@example.org", "user@example.org"},
      {"prvs==user@example.org", "prvs==user@example.org"},  // empty tag: not BATV
      {"prvs=tag=@example.org", "prvs=tag=@example.org"},    // nothing after the tag
      // SRS0 and SRS1 give back the original address.
      {"SRS0=HHH=TT=example.com=user@forwarder.net", "user@example.com"},
      {"srs0+x1Yz=AB=example.com=bob@fwd.example", "bob@example.com"},
      {"SRS0=HHH=TT=example.com=a=b@fwd.example", "a=b@example.com"},
      {"SRS1=HHH=fwd1.example==HHH=TT=example.com=user@fwd2.example", "user@example.com"},
      {"SRS0=HHH=TT@fwd.example", "srs0=hhh=tt@fwd.example"},  // malformed: kept
      // BATV inside SRS, and SRS of a BATV address.
      {"SRS0=HHH=TT=example.com=prvs=1234abcdef=user@fwd.example", "user@example.com"},
      // Sub-address.
      {"user+list-bounces@example.org", "user@example.org"},
      {"+tag@example.org", "+tag@example.org"},  // cut would leave nothing
      // postgrey's digit runs (\b\d+\b): VERP counters collapse.
      {"bounce-12345-678@list.example", "bounce-#-#@list.example"},
      {"user123@example.org", "user123@example.org"},  // digits inside a word stay
      {"2024.news@example.org", "#.news@example.org"},
      {"a_1@example.org", "a_1@example.org"},  // '_' is a word character
      {"no-at-sign", "no-at-sign"},
  };
  SenderOptions options;
  for (const Case& c : cases) {
    EXPECT_EQ(NormaliseSender(c.sender, options), c.want) << "sender " << c.sender;
  }
}

TEST(GreylistTriplet, EachSenderRuleCanBeTurnedOff) {
  struct Case {
    const char* name;
    SenderOptions options;
    const char* sender;
    const char* want;
  } cases[] = {
      {"case kept", {.lower_case = false}, "Alice@Example.ORG", "Alice@Example.ORG"},
      {"batv kept",
       {.strip_batv = false},
       "prvs=1234abcdef=b@x.example",
       "prvs=1234abcdef=b@x.example"},
      {"srs kept",
       {.strip_srs = false},
       "SRS0=H=T=a.example=u@f.example",
       "srs0=h=t=a.example=u@f.example"},
      {"subaddress kept", {.strip_subaddress = false}, "u+t@x.example", "u+t@x.example"},
      {"digits kept", {.replace_digits = false}, "b-12-3@x.example", "b-12-3@x.example"},
      {"other separators", {.separators = "-+"}, "owner-list@x.example", "owner@x.example"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(NormaliseSender(c.sender, c.options), c.want) << c.name;
  }
}

TEST(GreylistTriplet, NormalisesRecipients) {
  EXPECT_EQ(NormaliseRecipient("Bob+Tag@Example.ORG", false, "+"), "bob+tag@example.org");
  EXPECT_EQ(NormaliseRecipient("Bob+Tag@Example.ORG", true, "+"), "bob@example.org");
}

TEST(GreylistTriplet, MasksClientNetworks) {
  struct Case {
    const char* address;
    int v4;
    int v6;
    const char* want;
  } cases[] = {
      {"192.0.2.77", 24, 64, "192.0.2.0/24"},
      {"192.0.2.77", 32, 64, "192.0.2.77/32"},
      {"192.0.2.77", 16, 64, "192.0.0.0/16"},
      {"192.0.2.77", 20, 64, "192.0.0.0/20"},
      {"::ffff:192.0.2.77", 24, 64, "192.0.2.0/24"},  // mapped: treated as IPv4
      {"2001:db8:1:2:3:4:5:6", 24, 64, "2001:db8:1:2::/64"},
      {"2001:db8:1:2:3:4:5:6", 24, 48, "2001:db8:1::/48"},
      {"2001:db8:1:2:3:4:5:6", 24, 56, "2001:db8:1::/56"},
      {"2001:db8:1:2ff:3:4:5:6", 24, 60, "2001:db8:1:2f0::/60"},
      {"2001:db8::1", 24, 128, "2001:db8::1/128"},
  };
  for (const Case& c : cases) {
    auto address = IpAddress::Parse(c.address);
    ASSERT_TRUE(address) << c.address;
    EXPECT_EQ(ClientNetwork(*address, c.v4, c.v6), c.want) << c.address;
  }
}

TEST(GreylistTriplet, OperatorNetworks) {
  struct Case {
    const char* text;
    const char* want;  // "" = error
  } cases[] = {
      {"192.0.2.77", "192.0.2.0/24"},
      {"192.0.2.0/24", "192.0.2.0/24"},
      {"192.0.2.1/24", ""},
      {"192.0.0.0/16", ""},
      {"2001:db8::5", "2001:db8::/64"},
      {"2001:db8::/64", "2001:db8::/64"},
      {"not-an-ip", ""},
      {"::ffff:192.0.2.0/120", "192.0.2.0/24"},
  };
  for (const Case& c : cases) {
    std::string error;
    std::optional<std::string> got = OperatorNetwork(c.text, 24, 64, &error);
    EXPECT_EQ(got.value_or(""), c.want) << c.text << " error: " << error;
    if (!got) {
      EXPECT_FALSE(error.empty()) << c.text;
    }
  }
}

TEST(GreylistKeys, TripletKeysRoundTrip) {
  struct Case {
    Triplet triplet;
    const char* want_key;
  } cases[] = {
      {{"192.0.2.0/24", "alice@example.org", "bob@example.net"},
       "greylist:t:192.0.2.0/24|alice@example.org|bob@example.net"},
      {{"2001:db8::/64", "<>", "bob@example.net"}, "greylist:t:2001:db8::/64|<>|bob@example.net"},
      {{"192.0.2.0/24", "\"a|b c\"@example.org", "50%@example.net"},
       "greylist:t:192.0.2.0/24|\"a%7Cb%20c\"@example.org|50%25@example.net"},
      {{"192.0.2.0/24", "caf\xc3\xa9@example.org", "x@y"},
       "greylist:t:192.0.2.0/24|caf%C3%A9@example.org|x@y"},
  };
  for (const Case& c : cases) {
    const std::string key = TripletKey(c.triplet);
    EXPECT_EQ(key, c.want_key);
    std::optional<Triplet> parsed = ParseTripletKey(key);
    ASSERT_TRUE(parsed) << key;
    EXPECT_EQ(parsed->network, c.triplet.network);
    EXPECT_EQ(parsed->sender, c.triplet.sender);
    EXPECT_EQ(parsed->recipient, c.triplet.recipient);
  }
  for (const char* bad : {"greylist:n:192.0.2.0/24", "greylist:t:x|y", "greylist:t:|a|b",
                          "greylist:t:n|a|b|c", "greylist:t:n|%zz|b", "greylist:t:n|a|b%2"}) {
    EXPECT_FALSE(ParseTripletKey(bad)) << bad;
  }
}

TEST(GreylistKeys, LongAddressesAreCut) {
  const std::string key = TripletKey({"192.0.2.0/24", std::string(5000, 'a'), "b@c"});
  EXPECT_EQ(key.size(), std::string("greylist:t:192.0.2.0/24||b@c").size() + kMaxAddressInKey);
}

TEST(GreylistKeys, Values) {
  EXPECT_EQ(EncodeTriplet({false, 100, 0}), "pending 100");
  EXPECT_EQ(EncodeTriplet({true, 100, 400}), "passed 100 400");
  auto pending = DecodeTriplet("pending 100");
  ASSERT_TRUE(pending);
  EXPECT_FALSE(pending->passed);
  EXPECT_EQ(pending->first_seen, 100);
  auto passed = DecodeTriplet("passed 100 400");
  ASSERT_TRUE(passed);
  EXPECT_TRUE(passed->passed);
  EXPECT_EQ(passed->passed_at, 400);
  for (const char* bad : {"", "pending", "pending x", "passed 1", "passed 1 2 3", "other 1"}) {
    EXPECT_FALSE(DecodeTriplet(bad)) << bad;
  }
  EXPECT_EQ(DecodeAllow(EncodeAllow(42)).value_or(-1), 42);
  EXPECT_FALSE(DecodeAllow("manual"));
}

}  // namespace
}  // namespace portcullis::greylist
