-- ArgoCD health check for the ipsec.dev kinds (IkeGroup, EspGroup, IpsecPeer, IpsecGlobal): one
-- script serves all four. This file is the source; bin/update-argocd copies it to
-- resource_customizations/ipsec.dev/<Kind>/health.lua (ArgoCD's own layout), health.lua.yaml
-- (argocd-cm) and argocd-operator-health.yaml (argocd-operator's resourceHealthChecks).
--
--   Healthy      IkeGroup/EspGroup: Valid is True; IpsecPeer/IpsecGlobal: Ready is True
--   Progressing  the operator has not observed the latest generation yet; an IpsecPeer whose
--                ConfigLoaded is not True for its generation (the gateway's agents do not run it
--                yet: "generation 4 is not loaded yet; the gateway's agents run generation 3";
--                a peer's observedGeneration is the generation its agents run); a valid peer
--                that is not yet Ready (the message says which step is missing); a condition
--                that is still Unknown (an IpsecGlobal's Ready while its pods start or roll:
--                PodsStarting, RollingUpdate)
--   Suspended    an IpsecPeer with spec.disable: true; an IpsecGlobal scaled to zero (Ready
--                False, reason ScaledToZero)
--   Degraded     anything else, with the message of the condition that says why (for an
--                IpsecGlobal whose objects the API server refuses to take, ObjectsWritten's); a
--                peer whose spec is invalid while its last valid configuration keeps running
--                says so: "generation 7 is invalid (...); generation 5 keeps running"

local hs = {}

local function find(conditions, type)
  if conditions == nil then return nil end
  for _, condition in ipairs(conditions) do
    if condition.type == type then return condition end
  end
  return nil
end

local function explain(condition, fallback)
  if condition ~= nil and condition.message ~= nil and condition.message ~= "" then
    return condition.message
  end
  if condition ~= nil and condition.reason ~= nil and condition.reason ~= "" then
    return condition.reason
  end
  return fallback
end

local function result(status, message)
  hs.status = status
  hs.message = message
  return hs
end

local generation = obj.metadata.generation
local status = obj.status

-- a peer's change is live once its gateway's agents load it: ConfigLoaded, computed for this
-- very generation, says what runs meanwhile (its observedGeneration stays at that one)
if obj.kind == "IpsecPeer" and status ~= nil then
  local loaded = find(status.conditions, "ConfigLoaded")
  if loaded ~= nil and loaded.status ~= "True" and generation ~= nil
      and loaded.observedGeneration == generation then
    return result("Progressing", explain(loaded, "generation " .. tostring(generation)
      .. " is not loaded yet"))
  end
end

if status == nil or status.observedGeneration == nil
    or (generation ~= nil and status.observedGeneration < generation) then
  return result("Progressing", "Waiting for the operator to observe generation " .. tostring(generation))
end

local conditions = status.conditions
local valid = find(conditions, "Valid")
local running = status.runningGeneration
if valid ~= nil and valid.status == "False" then
  -- an IpsecPeer whose spec is refused keeps its last valid configuration: say which one runs
  if obj.kind == "IpsecPeer" and running ~= nil and valid.reason ~= "SecretDeleted" then
    local why = explain(valid, "not valid")
    if generation ~= nil and running < generation then
      return result("Degraded", "generation " .. tostring(generation) .. " is invalid (" .. why
        .. "); generation " .. tostring(running) .. " keeps running")
    end
    return result("Degraded", "generation " .. tostring(running) .. " no longer renders (" .. why
      .. "); the configuration loaded before keeps running")
  end
  return result("Degraded", explain(valid, "The resource is invalid"))
end

if obj.kind == "IkeGroup" or obj.kind == "EspGroup" then
  if valid == nil then
    return result("Degraded", "The operator reported no Valid condition")
  end
  if valid.status == "True" then
    return result("Healthy", explain(valid, "Valid"))
  end
  return result("Progressing", explain(valid, "Validation pending"))
end

if obj.kind == "IpsecPeer" and obj.spec ~= nil and obj.spec.disable == true then
  return result("Suspended", "The peer is disabled (spec.disable)")
end

-- the API server refuses a write of the gateway's objects (RBAC, validation, admission): what
-- runs is not what the spec says until someone acts, so say what the server said
local written = find(conditions, "ObjectsWritten")
if obj.kind == "IpsecGlobal" and written ~= nil and written.status == "False" then
  return result("Degraded", explain(written, "The API server refused a write"))
end

local ready = find(conditions, "Ready")
-- a gateway scaled to zero runs no tunnel on purpose: neither healthy nor broken
if obj.kind == "IpsecGlobal" and ready ~= nil and ready.status == "False"
    and ready.reason == "ScaledToZero" then
  return result("Suspended", explain(ready, "The gateway is scaled to zero"))
end
if ready ~= nil and ready.status == "True" then
  return result("Healthy", explain(ready, "Ready"))
end

if obj.kind == "IpsecPeer" then
  if valid == nil or valid.status ~= "True" then
    return result("Degraded", explain(valid, "The operator reported no Valid condition"))
  end
  -- Valid but not Ready: the SAs are being established. Say which step is missing.
  for _, type in ipairs({"Established", "TunnelsUp", "Ready"}) do
    local condition = find(conditions, type)
    if condition == nil or condition.status ~= "True" then
      return result("Progressing", explain(condition, "Waiting for " .. type))
    end
  end
end

if ready == nil or ready.status == "Unknown" then
  return result("Progressing", explain(ready, "Waiting for the gateway pods"))
end
return result("Degraded", explain(ready, "Not ready"))
