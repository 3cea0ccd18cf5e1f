// The keras-hub command (DESIGN §4); commands arrive with the presets work.
print("keras-hub: no commands yet")
