"""Writes N generated pins as NDJSON, reproducibly from a seed: the bench's one input for both sides.

The pins have the seed's shape and the user emulator's mix of dirty values (placeholder and blank
titles, placeholder descriptions and tag lists, "51k"/"2M"/"1.5k"/"8.68M"/"User Info Error"/""
follower counts, "Image src error.", "Local save in ..."), except what the seed's pydantic model
rejected (nulls, integer follower counts): every pin passes both the pin contract and the seed's
model, so the same file can be posted to either API. Prints one JSON line of
statistics to stderr, including the share of rows on which the seed's own follower-count UDF
raises (decimal or empty counts).

    python bench/harness/gen_pins.py --count 1000000 --seed 100 --out pins.ndjson
"""
import argparse
import json
import random
import sys
import uuid

CATEGORIES = ["art", "beauty", "christmas", "diy-and-crafts", "education", "event-planning", "finance",
              "home-decor", "mens-fashion", "quotes", "tattoos", "travel", "vehicles"]
WORDS = ["home", "ideas", "gift", "diy", "tattoo", "art", "design", "beauty", "space", "budget", "vintage",
         "modern", "easy", "tips", "hacks", "travel", "summer", "christmas", "quotes", "small", "best", "for",
         "your", "the", "story"]
MEDIA = ["image", "video", "multi-video(story page format)"]
NO_TAGS = "N,o, ,T,a,g,s, ,A,v,a,i,l,a,b,l,e"


def follower_count(rng):
    """The user emulator's mix (PinGenerator), minus its integer counts, which the seed's API rejected."""
    r = rng.randrange(100)
    if r < 10:
        return "User Info Error"
    if r < 30:
        return f"{rng.randrange(1, 1000)}k"
    if r < 36:
        return f"{rng.randrange(1, 100)}.{rng.randrange(1, 10)}k"
    if r < 42:
        return f"{rng.randrange(1, 21)}M"
    if r < 45:
        return f"{rng.randrange(1, 10)}.{rng.randrange(10, 100)}M"
    if r < 98:
        return str(rng.randrange(0, 100_000))
    return ""


def words(rng, low, high):
    return " ".join(rng.choice(WORDS) for _ in range(rng.randrange(low, high))).capitalize()


def title(rng):
    r = rng.randrange(100)
    return "No Title Data Available" if r < 15 else "  " if r < 18 else words(rng, 3, 9)


def description(rng):
    r = rng.randrange(100)
    return ("No description available" if r < 8
            else "No description available Story format" if r < 13 else words(rng, 5, 17))


def pin(rng, index):
    category = rng.choice(CATEGORIES)
    return {
        "index": index,
        "unique_id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "title": title(rng),
        "description": description(rng),
        "poster_name": "User Info Error" if rng.randrange(100) < 40 else words(rng, 1, 3),
        "follower_count": follower_count(rng),
        "tag_list": NO_TAGS if rng.randrange(100) < 15 else ",".join(rng.choice(WORDS) for _ in range(rng.randrange(1, 7))),
        "is_image_or_video": rng.choice(MEDIA),
        "image_src": "Image src error." if rng.randrange(100) < 6 else f"https://i.pinimg.com/originals/{rng.getrandbits(64):016x}.jpg",
        "downloaded": 0 if rng.randrange(100) < 12 else 1,
        "save_location": f"Local save in /data/{category}",
        "category": category,
    }


def seed_raises(count):
    """True where the seed's follower-count UDF raised: an empty count, or a decimal before k/M."""
    return count == "" or (not count.isnumeric() and count[-1] in "kM" and not count[:-1].isnumeric())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--seed", type=int, default=100)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    raising = 0
    with open(args.out, "w", encoding="utf-8") as out:
        for index in range(args.count):
            p = pin(rng, index)
            raising += seed_raises(p["follower_count"])
            out.write(json.dumps(p, separators=(",", ":")))
            out.write("\n")
    print(json.dumps({"pins": args.count, "seed": args.seed, "out": args.out,
                      "seed_udf_raises_on": round(raising / max(args.count, 1), 4)}), file=sys.stderr)


if __name__ == "__main__":
    main()
