-- SPDX-License-Identifier: MIT
-- wrk script: PUT a vote as a random participant on a random topic.
-- usage: wrk -s vote.lua URL -- EID TOKENS_FILE TOPICS_FILE
local eid, tokens, topics = nil, {}, {}

local function lines(path)
    local t = {}
    for l in io.lines(path) do
        if #l > 0 then t[#t + 1] = l end
    end
    return t
end

function init(args)
    eid = args[1]
    tokens = lines(args[2])
    topics = lines(args[3])
    math.randomseed(os.time() + (tonumber(tostring({}):sub(8), 16) or 0))
end

function request()
    local tok = tokens[math.random(#tokens)]
    local tid = topics[math.random(#topics)]
    local body = string.format('{"weight": %d}', math.random(3))
    return wrk.format("PUT", "/api/v1/events/" .. eid .. "/topics/" .. tid .. "/vote",
        {["Authorization"] = "Bearer " .. tok, ["Content-Type"] = "application/json"}, body)
end

local bad = 0
function response(status, headers, body)
    if status < 200 or status > 299 then
        bad = bad + 1
        if bad <= 3 then io.stderr:write("vote.lua: HTTP " .. status .. " " .. body .. "\n") end
    end
end
