import os, random, sys
random.seed(42)
root = sys.argv[1]
words = [b"alpha",b"beta",b"gamma",b"delta",b"label",b"image",b"cat",b"dog",b"0.123",b"xyz",b"\n",b","]
pool = []  # for duplicates
n = 0
for a in range(6):
    for b in range(10):
        for c in range(10):
            d = os.path.join(root, f"shard{a:02d}", f"grp{b}", f"leaf{c}")
            os.makedirs(d, exist_ok=True)
            for i in range(100):
                size = random.randint(1024, 8192)
                r = random.random()
                if r < 0.05 and pool:
                    data = random.choice(pool)
                elif r < 0.5:
                    data = os.urandom(size)
                else:
                    data = b" ".join(random.choice(words) for _ in range(size // 5))[:size]
                if len(pool) < 2000 and random.random() < 0.01:
                    pool.append(data)
                with open(os.path.join(d, f"f{i:03d}.bin" if r < 0.5 else f"f{i:03d}.txt"), "wb") as f:
                    f.write(data)
                n += 1
print(n)
