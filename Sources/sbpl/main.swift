print("sbpl")
