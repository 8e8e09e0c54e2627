// Unit tests for milter packet framing (framing.h).
#include "framing.h"

#include <gtest/gtest.h>

#include "milter_error.h"

namespace portcullis::milterclient {
namespace {

TEST(FramingTest, EncodeCountsCommandByteInLength) {
  const std::string wire = EncodePacket('H', std::string("helo\0", 5));
  ASSERT_EQ(wire.size(), 10u);
  EXPECT_EQ(wire.substr(0, 4), std::string("\0\0\0\x06", 4));
  EXPECT_EQ(wire[4], 'H');
  EXPECT_EQ(wire.substr(5), std::string("helo\0", 5));
}

TEST(FramingTest, EncodeEmptyPayload) {
  EXPECT_EQ(EncodePacket('N', ""), std::string("\0\0\0\x01N", 5));
}

TEST(FramingTest, IntegersAreBigEndian) {
  std::string out;
  AppendUint32(&out, 0x01020304u);
  AppendUint16(&out, 0x0506u);
  EXPECT_EQ(out, std::string("\x01\x02\x03\x04\x05\x06", 6));
}

TEST(FramingTest, DecoderWaitsForCompletePacketsFedByteByByte) {
  const std::string wire = EncodePacket('c', "") + EncodePacket('y', std::string("550 no\0", 7));
  PacketDecoder decoder;
  std::vector<Packet> packets;
  for (char byte : wire) {
    decoder.Append(&byte, 1);
    while (auto packet = decoder.Next()) packets.push_back(*packet);
  }
  ASSERT_EQ(packets.size(), 2u);
  EXPECT_EQ(packets[0].command, 'c');
  EXPECT_TRUE(packets[0].payload.empty());
  EXPECT_EQ(packets[1].command, 'y');
  EXPECT_EQ(packets[1].payload, std::string("550 no\0", 7));
  EXPECT_EQ(decoder.buffered(), 0u);
}

TEST(FramingTest, DecoderRejectsZeroAndHugeLengths) {
  PacketDecoder zero;
  zero.Append("\0\0\0\0", 4);
  EXPECT_THROW(zero.Next(), MilterError);
  PacketDecoder huge;
  huge.Append("\x7f\0\0\0", 4);
  EXPECT_THROW(huge.Next(), MilterError);
}

TEST(FramingTest, PayloadReaderReadsFieldsAndStopsAtShortData) {
  std::string payload;
  AppendUint32(&payload, 7);
  AppendCString(&payload, "X-Name");
  payload += "tail";
  PayloadReader reader(payload);
  uint32_t number = 0;
  std::string text;
  ASSERT_TRUE(reader.ReadUint32(&number));
  EXPECT_EQ(number, 7u);
  ASSERT_TRUE(reader.ReadCString(&text));
  EXPECT_EQ(text, "X-Name");
  EXPECT_FALSE(reader.ReadCString(&text));  // "tail" has no terminator.
  EXPECT_EQ(reader.Rest(), "tail");
}

TEST(FramingTest, CommandNameIsReadable) {
  EXPECT_EQ(CommandName('E'), "SMFIC_BODYEOB ('E')");
  EXPECT_EQ(CommandName('h'), "'h'");
  EXPECT_EQ(CommandName('\x01'), "0x01");
}

}  // namespace
}  // namespace portcullis::milterclient
