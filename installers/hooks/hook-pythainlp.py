"""Ship only what our word breaker reads from PyThaiNLP (newmm with the stock dictionary).

The contributed hook collects all of PyThaiNLP's data (~60 MB of models we never load);
this one, found first through ``hookspath``, takes the dictionary, the stop words that
``pythainlp.corpus`` reads on import, and the corpus licence.
"""

from PyInstaller.utils.hooks import collect_data_files, copy_metadata

datas = collect_data_files(
    "pythainlp",
    includes=["corpus/words_th.txt", "corpus/stopwords_th.txt", "corpus/corpus_license.md"],
)
datas += copy_metadata("pythainlp")
