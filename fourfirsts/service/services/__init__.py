"""Every write of the service app, one module per entity: `appeals` (the
workflow), `links` (department links), `visits` (visits, contacts and
pairings), `policies`, `intake` (the 营商码). Import the module:
`from fourfirsts.service.services import appeals`."""
