-- wrk cross-check of POST /pin with a fresh unique_id per request (the seed's sample pin otherwise):
--   wrk -t2 -c50 -d20s --latency -s bench/ingest/pin.lua http://127.0.0.1:8000/pin/
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

local template = '{"index": 7528, "unique_id": "%s", "title": "No Title Data Available", '
  .. '"description": "No description available Story format", "poster_name": "User Info Error", '
  .. '"follower_count": "User Info Error", "tag_list": "N,o, ,T,a,g,s, ,A,v,a,i,l,a,b,l,e", '
  .. '"is_image_or_video": "multi-video(story page format)", "image_src": "Image src error.", '
  .. '"downloaded": 0, "save_location": "Local save in /data/mens-fashion", "category": "mens-fashion"}'

function init(args)
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
end

local function hex(n)
  local s = {}
  for i = 1, n do s[i] = string.format("%x", math.random(0, 15)) end
  return table.concat(s)
end

function request()
  local id = hex(8) .. "-" .. hex(4) .. "-4" .. hex(3) .. "-a" .. hex(3) .. "-" .. hex(12)
  return wrk.format(nil, nil, nil, string.format(template, id))
end
